"""What launch.py asks of a runtime view, in the order it asks, with what a
view that has nothing to do at that point does: nothing. A view overrides
the steps it needs and ``finish``, which sends its report."""


class View(object):
    def __init__(self, options):
        self.options = options
        # Why the function the user chose could not be called (launch.py sets it), or None.
        self.call_error = None

    def modules_to_keep(self):
        """Names of modules we imported that stay in sys.modules when the script runs."""
        return ()

    def set_script(self, path):
        """The script's absolute path, before it runs."""

    def start(self, channel):
        """Right before the script runs."""

    def module_ran(self, code):
        """The module's code ran to its end (before the chosen call, which may fail)."""

    def after_script(self, code, main_module):
        """The module and the chosen call ran without an exception."""

    def is_stop(self, exc):
        """True when the script's exception is the view's own way of stopping it."""
        return False

    def stop(self):
        """Right after the script stopped, whatever way; from here on, what runs is ours."""

    def at_end(self, main_module):
        """The module as the run left it, the script's error or not."""

    def finish(self, channel):
        """Sends the view's report."""
        raise NotImplementedError
