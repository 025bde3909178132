export { composeRedactors, defineRedactor, toRedactor } from "./redactor.js";
export type { Redactor, RedactorFn, RedactorLike } from "./redactor.js";
export { dropContent } from "./drop-content.js";
export { dropAttributes } from "./drop-attributes.js";
export { truncateContent } from "./truncate-content.js";
export { redactPipeCodes, redactClassNames } from "./redact-names.js";
export { maskPatterns, createStringMasker } from "./mask-patterns.js";
export type { MaskPatternsOptions } from "./mask-patterns.js";
export { mapSpanStrings } from "./map-strings.js";
