// Validation of a tool's structuredContent against its outputSchema, with one of the SDK's own
// validator classes and the SDK's own errors (Client.callTool), but compiled lazily: the SDK's
// listTools compiles a validator for every tool on every tools/list (with Ajv, 1,000 tools with
// outputSchema: 0.3-0.8 s; 10,000: 2.7-3.9 s, and ~37 MiB more retained per re-list, because Ajv
// caches each compiled schema object). Here a tool's validator is compiled on its first call, kept
// for the session, and reused after a re-list when the schema did not change. See docs/performance.md.
//
// The validator is @cfworker/json-schema through the SDK's CfWorkerJsonSchemaValidator, not the
// SDK's default Ajv one: it interprets schemas instead of generating code, so "compiling" is a walk
// of the schema, and it bundles to ~23 KB against ~133 KB for ajv + ajv-formats + fast-uri
// (esbuild.mjs keeps the SDK's Ajv provider out of the bundle; every Client must therefore be given
// a `jsonSchemaValidator`).
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/client/validators/cf-worker';
import {
  ProtocolError,
  ProtocolErrorCode,
  type CallToolResult,
  type JsonSchemaType,
  type JsonSchemaValidator,
  type jsonSchemaValidator,
  type Tool,
} from '@modelcontextprotocol/client';

/** Makes the validator provider (one per session, created on first need). Injectable for tests. */
export type ValidatorProviderFactory = () => jsonSchemaValidator;

/** The JSON Schema drafts @cfworker/json-schema implements. */
export type SchemaDraft = '4' | '7' | '2019-09' | '2020-12';

/**
 * The draft a schema declares in `$schema`: draft-04 ('4'), draft-06/07 ('7'; cfworker has no
 * separate 6), 2019-09, else 2020-12 (also when there is no `$schema`, as MCP specifies). The draft
 * only changes a few things: $ref siblings are ignored in 4 and 7, and 4 has boolean
 * exclusiveMinimum/exclusiveMaximum.
 */
export function schemaDraft(schema: unknown): SchemaDraft {
  const id =
    typeof schema === 'object' && schema !== null && typeof (schema as { $schema?: unknown }).$schema === 'string'
      ? (schema as { $schema: string }).$schema
      : '';
  if (/draft-0?4\b/.test(id)) return '4';
  if (/draft-0?[67]\b/.test(id)) return '7';
  if (/2019-09/.test(id)) return '2019-09';
  return '2020-12';
}

/**
 * The default provider: the SDK's CfWorkerJsonSchemaValidator with its defaults (first error only,
 * the SDK's error texts), in the draft each schema declares.
 */
export function createValidatorProvider(): jsonSchemaValidator {
  const byDraft = new Map<SchemaDraft, CfWorkerJsonSchemaValidator>();
  return {
    getValidator: (schema) => {
      const draft = schemaDraft(schema);
      let provider = byDraft.get(draft);
      if (!provider) byDraft.set(draft, (provider = new CfWorkerJsonSchemaValidator({ draft })));
      return provider.getValidator(schema);
    },
  };
}

interface Compiled {
  readonly schema: Tool['outputSchema'];
  readonly key: string;
  readonly validate: JsonSchemaValidator<unknown>;
}

export class ToolOutputValidators {
  private provider?: jsonSchemaValidator;
  private readonly compiledByTool = new Map<string, Compiled>();
  private indexed?: readonly Tool[];
  private byName = new Map<string, Tool>();
  /** Validators compiled so far (diagnostics and tests). */
  compiledCount = 0;

  constructor(private readonly factory: ValidatorProviderFactory = createValidatorProvider) {}

  /**
   * A provider for the SDK Client's `jsonSchemaValidator` option (the Client uses it for
   * elicitation schemas) that builds the real one only when used. Pass it to every Client: the
   * bundle has no Ajv to fall back on.
   */
  get lazyProvider(): jsonSchemaValidator {
    return { getValidator: (schema) => this.getProvider().getValidator(schema) };
  }

  /**
   * Throws like the SDK's Client.callTool when `tools` (the session's listed tools; validation
   * needs them, as in the SDK) give the tool an outputSchema and the result does not satisfy it.
   */
  check(tools: readonly Tool[] | undefined, name: string, result: CallToolResult): void {
    if (!tools) return;
    const tool = this.lookup(tools, name);
    if (!tool?.outputSchema) return;
    if (result.structuredContent === undefined) {
      if (result.isError) return;
      throw new ProtocolError(ProtocolErrorCode.InvalidRequest, `Tool ${name} has an output schema but did not return structured content`);
    }
    let outcome;
    try {
      outcome = this.validatorFor(tool)(result.structuredContent);
    } catch (e) {
      // First line only: cfworker appends every known schema URI to an unresolved-$ref error.
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Failed to validate structured content: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`,
      );
    }
    if (!outcome.valid)
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Structured content does not match the tool's output schema: ${outcome.errorMessage}`,
      );
  }

  private lookup(tools: readonly Tool[], name: string): Tool | undefined {
    if (this.indexed !== tools) {
      this.byName = new Map(tools.map((t) => [t.name, t]));
      this.indexed = tools;
    }
    return this.byName.get(name);
  }

  private validatorFor(tool: Tool): JsonSchemaValidator<unknown> {
    const cached = this.compiledByTool.get(tool.name);
    if (cached && cached.schema === tool.outputSchema) return cached.validate;
    // After a re-list the schema is a new object: reuse the compiled validator if it is the same
    // schema, so re-listing never grows the validator's cache.
    const key = JSON.stringify(tool.outputSchema);
    if (cached && cached.key === key) {
      this.compiledByTool.set(tool.name, { ...cached, schema: tool.outputSchema });
      return cached.validate;
    }
    const validate = this.getProvider().getValidator(tool.outputSchema as JsonSchemaType);
    this.compiledCount++;
    this.compiledByTool.set(tool.name, { schema: tool.outputSchema, key, validate });
    return validate;
  }

  private getProvider(): jsonSchemaValidator {
    return (this.provider ??= this.factory());
  }
}
