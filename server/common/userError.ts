/**
 * An error whose message is for the user: CPython's or the worker's own
 * readable words, a request the server refuses. A request answers it as its
 * failure (server/requests.ts); any other error is a bug, logged with its
 * stack. Each service's error extends it, so that check is one type.
 */
export class UserError extends Error {}
