/** The lenient JSON dialect lives in ../wire/, shared with the plain sockets; tests/helpers/plain.ts still reads it here. */
export { parseLenientJson, stringifyLenientJson } from '../wire/lenientJson';
