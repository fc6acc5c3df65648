/** DI token of the access logger: the proxy's one structured line per request (see accessLoggerOf). */
export const ACCESS_LOGGER = Symbol('ACCESS_LOGGER');
