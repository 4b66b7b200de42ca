import { isIPv4, isIPv6 } from 'node:net';
import { parse as parseYaml } from 'yaml';

/**
 * Checks for the string formats Port documents (docs/port-fidelity.md). A format whose rule Port does not
 * publish (markdown, user, team, proto, blueprints) accepts any string: a guess would reject what Port
 * accepts. ajv calls these only for strings.
 */
export const PORT_STRING_FORMATS: Record<string, (value: string) => boolean> = {
  'date-time': isDateTime,
  timer: isDateTime,
  url: isAbsoluteUrl,
  email: isEmail,
  'idn-email': isEmail,
  ipv4: (value) => isIPv4(value),
  ipv6: (value) => isIPv6(value),
  yaml: isYaml,
  markdown: () => true,
  user: () => true,
  team: () => true,
  proto: () => true,
  blueprints: () => true,
  'labeled-url': () => true,
};

// RFC 3339 date-time, as JSON Schema's date-time format requires.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function isDateTime(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (!m) return false;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  if (mo! < 1 || mo! > 12 || d! < 1 || h! > 23 || mi! > 59 || s! > 60) return false;
  const daysInMonth = new Date(Date.UTC(y!, mo!, 0)).getUTCDate();
  return d! <= daysInMonth;
}

function isAbsoluteUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  return /^[a-z][a-z0-9+.-]*:/i.test(value);
}

/**
 * Deliberately simple: one @, no white space, a dot inside the domain. Stricter rules reject real
 * addresses. Written without a regular expression: the pattern form (`^[^\s@]+@[^\s@]+\.[^\s@]+$`)
 * backtracks over every dot of the domain: time quadratic in the length of a value made of dots.
 */
function isEmail(value: string): boolean {
  const at = value.indexOf('@');
  if (at < 1 || at !== value.lastIndexOf('@') || /\s/.test(value)) return false;
  const domain = value.slice(at + 1);
  return domain.length >= 3 && domain.slice(1, -1).includes('.');
}

function isYaml(value: string): boolean {
  try {
    parseYaml(value);
    return true;
  } catch {
    return false;
  }
}
