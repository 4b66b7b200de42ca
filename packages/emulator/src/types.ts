/** An entity as the emulator holds it; `datasource` is the User-Agent of the last write. */
export interface StoredEntity {
  identifier: string;
  blueprint: string;
  title?: string;
  icon?: string;
  team: string[];
  properties: Record<string, unknown>;
  relations: Record<string, string | string[]>;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  datasource?: string;
}

/** A Port search query: `{ combinator, rules }`, where a rule may nest another query. */
export interface SearchQuery {
  combinator: 'and' | 'or';
  rules: Array<SearchRule | SearchQuery>;
}

/** A property rule (`property`) or a relation rule (`relation`, on the related identifiers). */
export interface SearchRule {
  property?: string;
  relation?: string;
  targetProperty?: string;
  operator: string;
  value?: unknown;
}
