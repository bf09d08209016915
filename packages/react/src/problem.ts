/**
 * Errors of the management API as the page sees them: RFC 9457 problem details, with the
 * `errors` list of a 400 answer grouped by field.
 */

/** One validation problem as the API lists it: a JSON Pointer (RFC 6901) and a message. */
export interface ApiFieldError {
  path: string;
  message: string;
}

/** The members of an RFC 9457 problem the page reads. */
interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: ApiFieldError[];
}

/**
 * A failed management API call: the answer's status, its problem `code` (`"unauthorized"`,
 * `"invalid_request"`, `"not_found"`, …; `"network_error"` when no answer came), and for a 400
 * the problems by field.
 */
export class ApiKeysError extends Error {
  override readonly name = "ApiKeysError";
  /** HTTP status; 0 when the request never got an answer. */
  readonly status: number;
  readonly code: string;
  /** The problem's `detail`, or a sentence made up for answers that carried none. */
  readonly detail: string;
  /**
   * Messages by field: the first segment of each JSON Pointer (`"/scopes/1"` → `"scopes"`),
   * `""` for the body as a whole.
   */
  readonly fieldErrors: Readonly<Record<string, readonly string[]>>;

  constructor(status: number, problem: ProblemBody) {
    const detail = problem.detail ?? problem.title ?? `The request failed (HTTP ${status}).`;
    super(detail);
    this.status = status;
    this.code = problem.code ?? (status === 0 ? "network_error" : `http_${status}`);
    this.detail = detail;
    const byField: Record<string, string[]> = {};
    for (const error of Array.isArray(problem.errors) ? problem.errors : []) {
      const field = String(error.path ?? "").split("/")[1] ?? "";
      byField[field] = [...(byField[field] ?? []), String(error.message)];
    }
    this.fieldErrors = byField;
  }

  /** Whether the caller is not signed in (any more): the session expired or was never there. */
  get unauthorized(): boolean {
    return this.status === 401;
  }
}

/** Reads a failed response into an {@link ApiKeysError}, whatever its body. */
export async function errorFrom(response: Response): Promise<ApiKeysError> {
  let body: ProblemBody = {};
  try {
    const parsed: unknown = await response.json();
    if (parsed !== null && typeof parsed === "object") body = parsed as ProblemBody;
  } catch {
    // not JSON: status only
  }
  return new ApiKeysError(response.status, body);
}
