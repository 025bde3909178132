export { dropAttributes } from "./drop-attributes.js";
export { dropContent } from "./drop-content.js";
export { mapSpanStrings } from "./map-strings.js";
export type { MaskPatternsOptions } from "./mask-patterns.js";
export { createStringMasker, maskPatterns } from "./mask-patterns.js";
export { redactClassNames, redactPipeCodes } from "./redact-names.js";
export type { Redactor, RedactorFn, RedactorLike } from "./redactor.js";
export { composeRedactors, defineRedactor, toRedactor } from "./redactor.js";
export { truncateContent } from "./truncate-content.js";
