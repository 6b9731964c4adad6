// What a host (the editor, the CLI) provides so that servers can ask their client something:
// which directories they may work in (roots), a question for the user (elicitation), or a
// completion from a language model (sampling). The core declares the capabilities a host
// supports and routes both forms of the questions to it: 2025-era server-to-client requests and
// 2026-07-28 `input_required` results (see install.ts).
import type {
  CreateMessageRequestParams,
  CreateMessageResult,
  ElicitRequestFormParams,
  ElicitRequestURLParams,
  ElicitResult,
} from '@modelcontextprotocol/client';
import type { ServerDefinition } from '../config/types';

export type ElicitFormRequest = ElicitRequestFormParams & { readonly mode?: 'form' };
export type ElicitUrlRequest = ElicitRequestURLParams;
export type ElicitRequest = ElicitFormRequest | ElicitUrlRequest;
export type { CreateMessageRequestParams as SamplingRequest, CreateMessageResult as SamplingResult, ElicitResult };

/** Where a question comes from. */
export interface AskContext {
  readonly server: string;
  readonly definition: ServerDefinition;
  /** Aborted when the server cancels the request or the call that caused it ends. */
  readonly signal: AbortSignal;
  /** `modern` when the question came inside an `input_required` result (2026-07-28). */
  readonly era: 'modern' | 'legacy';
}

export interface AskHost {
  /**
   * The roots a server gets when its entry sets no `roots`: absolute directory paths (the
   * workspace folders; in the CLI the workspace directory). Absent: roots are declared only for
   * servers whose entry sets `roots`.
   */
  defaultRoots?(): readonly string[];
  /** Answers an elicitation (form or URL mode). Absent: elicitation is not declared. */
  elicit?(request: ElicitRequest, ctx: AskContext): Promise<ElicitResult>;
  /**
   * Answers a sampling request. Absent: sampling is not declared. A server whose entry says
   * `"sampling": "deny"` is not offered it either.
   */
  sample?(request: CreateMessageRequestParams, ctx: AskContext): Promise<CreateMessageResult>;
  /** Whether `sample` passes a request's `tools` to the model and returns its tool calls (`sampling.tools`). */
  readonly samplingTools?: boolean;
  /** A URL-mode elicitation finished on the server (`notifications/elicitation/complete`, 2025 era). */
  elicitationComplete?(server: string, elicitationId: string): void;
}

/** Rounds of `input_required` one request may take before it fails (each round answers the server's questions). */
export const MAX_INPUT_ROUNDS = 10;
