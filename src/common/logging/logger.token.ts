/** DI token of the process-wide pino logger (for structured lines with fields). */
export const PINO_LOGGER = Symbol('PINO_LOGGER');
