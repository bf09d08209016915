export { BASE62_ALPHABET } from "./base62.js";
export { TOKEN_CHECKSUM_LENGTH, tokenChecksum } from "./checksum.js";
export { generateToken, TOKEN_RANDOM_LENGTH } from "./generate.js";
export { isKeywardToken, type ParsedToken, parseToken, tokenStart } from "./parse.js";
export { TOKEN_PATTERN, tokenPattern } from "./pattern.js";
export { assertPrefix } from "./prefix.js";
