from diamond import Left


class Early(object, Left):
    pass
