/**
 * Identifier rules as Port publishes them (docs/port-fidelity.md). The `u` flag is required:
 * `\p{L}` admits any Unicode letter.
 */
export const ENTITY_IDENTIFIER_PATTERN = String.raw`^(?!\.{1,2}$)[\p{L}0-9@_.+:\\/=-]+$`;
export const ENTITY_IDENTIFIER_MAX_LENGTH = 1000;

/** Blueprint identifiers: like entity identifiers but without `=`, and at most 100 characters. */
export const BLUEPRINT_IDENTIFIER_PATTERN = String.raw`^(?!\.{1,2}$)[\p{L}0-9@_.+:\\/-]+$`;
export const BLUEPRINT_IDENTIFIER_MAX_LENGTH = 100;

/** Property, relation, mirror, calculation and aggregation identifiers. */
export const PROPERTY_IDENTIFIER_PATTERN = String.raw`^[A-Za-z0-9@_=\\-]+$`;
