import { BLUEPRINT_IDENTIFIER_PATTERN, PROPERTY_IDENTIFIER_PATTERN } from '@port-gitops/port-schema';
import { FIELD_PATH_PATTERN } from '../backstage/index.js';

const fieldPath = { type: 'string', pattern: FIELD_PATH_PATTERN };

/**
 * The JSON Schema of port-gitops.config.json. The build writes it to schemas/config.schema.json,
 * which editors use (`$schema`) and the package exports; this module is the source.
 */
export const CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://port-gitops.dev/schemas/config.schema.json',
  title: 'port-gitops configuration',
  description: 'port-gitops.config.json at the repository root. Every key is optional; unknown keys are errors.',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: {
      type: 'string',
    },
    include: {
      description: 'Globs of entity files, relative to the repository root.',
      type: 'array',
      items: {
        type: 'string',
        minLength: 1,
      },
      minItems: 1,
    },
    exclude: {
      description: 'Globs of files never read, on top of what .gitignore ignores.',
      type: 'array',
      items: {
        type: 'string',
        minLength: 1,
      },
    },
    schema: {
      description: 'A JSON Schema, relative to the repository root, that every entity must satisfy.',
      type: 'string',
      minLength: 1,
    },
    blueprintsDir: {
      description: 'Folder of blueprint definitions (<id>.json) used for offline validation.',
      type: 'string',
      minLength: 1,
    },
    teamsFile: {
      description:
        "Port's teams, as `port-gitops teams pull` saves them (default .port/teams.json). When the file exists, every team an entity names must be in it.",
      type: 'string',
      minLength: 1,
    },
    editorSchema: {
      description:
        'Where `port-gitops schemas` writes the JSON Schema that checks entity files against the blueprints in editors (default .port/entity-files.schema.json); `check` warns when it was made from other blueprints.',
      type: 'string',
      minLength: 1,
    },
    unverifiedRules: {
      description:
        'How to report a value refused by a rule Port does not document and may not apply (formats, unknown property keys, one identifier for a many relation): "error" (default) or "warning".',
      enum: ['error', 'warning'],
    },
    rules: {
      description: 'The blueprint of entities that do not name one, by file glob; the first match wins.',
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['files', 'blueprint'],
        properties: {
          files: {
            type: 'string',
            minLength: 1,
          },
          blueprint: {
            type: 'string',
            pattern: BLUEPRINT_IDENTIFIER_PATTERN,
          },
        },
      },
    },
    port: {
      type: 'object',
      additionalProperties: false,
      properties: {
        baseUrl: {
          type: 'string',
          pattern: '^https?://',
        },
        concurrency: {
          type: 'integer',
          minimum: 1,
          maximum: 64,
        },
        timeoutMs: {
          type: 'integer',
          minimum: 100,
        },
        maxRetries: {
          type: 'integer',
          minimum: 0,
          maximum: 20,
        },
      },
    },
    provenance: {
      description:
        "Write into each pushed entity where it came from (file path, commit, repository URL), in this object property of its blueprint, as Port's own GitOps does with gitopsMetadata.",
      type: 'object',
      additionalProperties: false,
      required: ['property'],
      properties: {
        property: {
          type: 'string',
          pattern: '^[A-Za-z0-9@_=\\-]+$',
        },
      },
    },
    watermark: {
      description:
        'Where a sync in CI records the last commit it synced for its branch, in Port: an entity of this blueprint (created when missing; default port_gitops_sync). A push-triggered sync compares with it, and refuses to write an older commit. false turns it off.',
      oneOf: [
        { const: false },
        {
          type: 'object',
          additionalProperties: false,
          properties: { blueprint: { type: 'string', pattern: BLUEPRINT_IDENTIFIER_PATTERN } },
        },
      ],
    },
    deleteRemoved: {
      description: 'Delete from Port the entities whose files or identifiers were removed in the selected change.',
      type: 'boolean',
    },
    manageBlueprints: {
      description:
        "The blueprint definitions in blueprintsDir that are the desired state of Port's blueprints: true for all of them, or a list of identifiers. plan shows each change to them, classed safe, breaking, destructive or blocked. Default: none (the definitions only check entities).",
      oneOf: [
        { type: 'boolean' },
        { type: 'array', items: { type: 'string', pattern: BLUEPRINT_IDENTIFIER_PATTERN }, uniqueItems: true },
      ],
    },
    mappings: {
      description:
        "Port's file-kind mappings: the kind: file resources of a port-app-config.yml, each files matched by a glob and turned into entities by jq (docs/mappings.md). Default: .port/port-app-config.yml when it exists, written for GitHub; false turns it off.",
      oneOf: [
        { const: false },
        {
          type: 'object',
          additionalProperties: false,
          properties: {
            file: { description: 'The port-app-config.yml, repository-relative.', type: 'string', minLength: 1 },
            provider: {
              description:
                "Whose integration the mapping was written for, which decides the jq input's shape and how files are parsed: github (default), gitlab or azure-devops.",
              enum: ['github', 'gitlab', 'azure-devops'],
            },
          },
        },
      ],
    },
    backstage: {
      description:
        'Read Backstage descriptor files (catalog-info.yaml) as entity files, each document translated through this mapping. Present, even empty ({}), to turn it on; the README shows the default mapping.',
      type: 'object',
      additionalProperties: false,
      properties: {
        files: {
          description:
            'Globs of descriptor files; they are entity files whatever include says. Default: **/catalog-info.yaml, **/catalog-info.yml.',
          type: 'array',
          items: { type: 'string', minLength: 1 },
          minItems: 1,
        },
        identifier: {
          description:
            "name: the identifier is metadata.name (as Port's Backstage integration does); namespace/name: always qualified by namespace.",
          enum: ['name', 'namespace/name'],
        },
        kinds: {
          description:
            'The mapping by Backstage kind (matched without regard to case); null skips a kind. Replaces the default mapping as a whole.',
          type: 'object',
          additionalProperties: {
            type: ['object', 'null'],
            additionalProperties: false,
            required: ['blueprint'],
            properties: {
              blueprint: { type: 'string', pattern: BLUEPRINT_IDENTIFIER_PATTERN },
              title: {
                ...fieldPath,
                description: 'Field path of the title (default metadata.title); metadata.name when absent.',
              },
              properties: {
                description:
                  'Port property: Backstage field path, e.g. "spec.lifecycle", "metadata.links[].url", "metadata.annotations[\\"backstage.io/techdocs-ref\\"]".',
                type: 'object',
                propertyNames: { pattern: PROPERTY_IDENTIFIER_PATTERN },
                additionalProperties: fieldPath,
              },
              relations: {
                description:
                  'Port relation: the field path of its entity references, or {from, kind} to take only references of one kind.',
                type: 'object',
                propertyNames: { pattern: PROPERTY_IDENTIFIER_PATTERN },
                additionalProperties: {
                  type: ['string', 'object'],
                  pattern: FIELD_PATH_PATTERN,
                  additionalProperties: false,
                  required: ['from'],
                  properties: {
                    from: fieldPath,
                    kind: { type: 'string', minLength: 1 },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};
