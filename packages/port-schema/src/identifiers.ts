/**
 * Identifier rules as Port publishes them (docs/port-fidelity.md). The `u` flag is required:
 * `\p{L}` admits any Unicode letter.
 *
 * Port writes "any of these characters, but not `.` or `..`" with a lookahead, `^(?!\.{1,2}$)[…]+$`.
 * The same set is written here without one (dots, then a character other than `.`, then any; or three
 * dots or more), so that a linear-time engine (RE2, which has no lookaround) can run every pattern
 * port-gitops checks. The first character other than a dot is where the first branch turns: written as
 * `[…]*[^.][…]*` instead, a backtracking engine (ajv's, the emulator's) would try every split of a long
 * value: time quadratic in the identifier's length to refuse one bad character at its end.
 */
const identifierPattern = (characters: string) => {
  const withoutDot = characters.replace('.', '');
  return String.raw`^(?:\.*[${withoutDot}][${characters}]*|\.{3,})$`;
};

export const ENTITY_IDENTIFIER_PATTERN = identifierPattern(String.raw`\p{L}0-9@_.+:\\/=-`);
export const ENTITY_IDENTIFIER_MAX_LENGTH = 1000;

/** Blueprint identifiers: like entity identifiers but without `=`, and at most 100 characters. */
export const BLUEPRINT_IDENTIFIER_PATTERN = identifierPattern(String.raw`\p{L}0-9@_.+:\\/-`);
export const BLUEPRINT_IDENTIFIER_MAX_LENGTH = 100;

/** Property, relation, mirror, calculation and aggregation identifiers. */
export const PROPERTY_IDENTIFIER_PATTERN = String.raw`^[A-Za-z0-9@_=\\-]+$`;

const ENTITY_IDENTIFIER = new RegExp(ENTITY_IDENTIFIER_PATTERN, 'u');
const BLUEPRINT_IDENTIFIER = new RegExp(BLUEPRINT_IDENTIFIER_PATTERN, 'u');

/** Whether Port can take a value as an entity identifier: its characters and its length. */
export function isEntityIdentifier(value: string): boolean {
  return value.length <= ENTITY_IDENTIFIER_MAX_LENGTH && ENTITY_IDENTIFIER.test(value);
}

/** Whether Port can take a value as a blueprint identifier: its characters and its length. */
export function isBlueprintIdentifier(value: string): boolean {
  return value.length <= BLUEPRINT_IDENTIFIER_MAX_LENGTH && BLUEPRINT_IDENTIFIER.test(value);
}
