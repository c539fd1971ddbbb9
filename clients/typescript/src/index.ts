// A small typed client for the ccplane API: the types come from its OpenAPI document
// (openapi-typescript, in ./schema.ts), the requests from openapi-fetch. Every method throws a
// ProblemError carrying the server's problem document when the answer is an error.
import createClient, { type Client } from "openapi-fetch";

import type { components, paths } from "./schema.js";

export type { components, paths };

type Schemas = components["schemas"];
/** A UserPoolClient as the API shows it: desired state, metadata and status. */
export type UserPoolClient = Schemas["UserPoolClient"];
/** The body of a PUT or a plan: only `properties` is required. */
export type UserPoolClientDocument = Schemas["UserPoolClientDocument"];
/** The body of a POST: a name and the desired state. */
export type NewUserPoolClient = Schemas["NewUserPoolClient"];
/** A JSON Merge Patch of the desired state. */
export type UserPoolClientPatch = Schemas["UserPoolClientPatch"];
/** The client's properties, with CloudFormation's names. */
export type UserPoolClientProperties = Schemas["UserPoolClientProperties"];
/** What a document would do. */
export type Plan = Schemas["Plan"];
/** One entry of a timeline. */
export type Event = Schemas["Event"];
/** Where a resource is in its life. */
export type Phase = Schemas["Phase"];
/** An RFC 9457 problem document, as every error is. */
export type Problem = Schemas["Problem"];
/** One page of UserPoolClients. */
export type UserPoolClientPage = Schemas["UserPoolClientPage"];
/** One page of events. */
export type EventPage = Schemas["EventPage"];
/** Filters and paging of a list. */
export type ListQuery = NonNullable<
  paths["/v1/namespaces/{namespace}/user-pool-clients"]["get"]["parameters"]["query"]
>;

/** An error answer: its HTTP status and problem document. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(`${status} ${problem.title}: ${problem.detail}`);
    this.name = "ProblemError";
  }
}

/** A resource with the version a later write can name in If-Match. */
export interface Versioned {
  resource: UserPoolClient;
  etag: string;
}

/** How to reach the server. */
export interface CcplaneOptions {
  /** Where the API is, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  /** An API token (`ccp_…`) or an OIDC JWT; none with `--auth none`. */
  token?: string;
  /** A fetch implementation; the global one by default. */
  fetch?: typeof globalThis.fetch;
}

/** Options of a wait. */
export interface WaitOptions {
  /** Milliseconds between reads (default 500). */
  intervalMs?: number;
  /** Milliseconds before giving up (default 120000). */
  timeoutMs?: number;
}

const RESOURCE = "/v1/namespaces/{namespace}/user-pool-clients/{name}";

/** The ccplane API. `raw` is the underlying openapi-fetch client, for anything not wrapped. */
export class Ccplane {
  readonly raw: Client<paths>;
  private readonly options: CcplaneOptions;

  constructor(options: CcplaneOptions) {
    this.options = options;
    const headers: Record<string, string> = {};
    if (options.token !== undefined) {
      headers["Authorization"] = `Bearer ${options.token}`;
    }
    this.raw = createClient<paths>({ baseUrl: options.baseUrl, headers, fetch: options.fetch });
  }

  /** Creates or replaces a client's desired state; `created` is true on 201. */
  async put(
    namespace: string,
    name: string,
    document: UserPoolClientDocument,
    conditions: { ifMatch?: string; ifNoneMatch?: string } = {},
  ): Promise<Versioned & { created: boolean }> {
    const header: { "If-Match"?: string; "If-None-Match"?: string } = {};
    if (conditions.ifMatch !== undefined) header["If-Match"] = conditions.ifMatch;
    if (conditions.ifNoneMatch !== undefined) header["If-None-Match"] = conditions.ifNoneMatch;
    const { data, error, response } = await this.raw.PUT(RESOURCE, {
      params: { path: { namespace, name }, header },
      body: document,
    });
    const resource = ok(data, error, response);
    return { resource, etag: etagOf(response), created: response.status === 201 };
  }

  /** Creates a client named in the body; 409 when the name exists. */
  async create(
    namespace: string,
    body: NewUserPoolClient,
    options: { idempotencyKey?: string } = {},
  ): Promise<Versioned> {
    const header: { "Idempotency-Key"?: string } = {};
    if (options.idempotencyKey !== undefined) header["Idempotency-Key"] = options.idempotencyKey;
    const { data, error, response } = await this.raw.POST(
      "/v1/namespaces/{namespace}/user-pool-clients",
      { params: { path: { namespace }, header }, body },
    );
    return { resource: ok(data, error, response), etag: etagOf(response) };
  }

  /** Reads a client and its version. */
  async get(namespace: string, name: string): Promise<Versioned> {
    const { data, error, response } = await this.raw.GET(RESOURCE, {
      params: { path: { namespace, name } },
    });
    return { resource: ok(data, error, response), etag: etagOf(response) };
  }

  /** Changes part of a client's desired state with a JSON Merge Patch. */
  async patch(
    namespace: string,
    name: string,
    patch: UserPoolClientPatch,
    conditions: { ifMatch?: string } = {},
  ): Promise<Versioned> {
    const header: { "If-Match"?: string } = {};
    if (conditions.ifMatch !== undefined) header["If-Match"] = conditions.ifMatch;
    const { data, error, response } = await this.raw.PATCH(RESOURCE, {
      params: { path: { namespace, name }, header },
      body: patch,
      headers: { "Content-Type": "application/merge-patch+json" },
    });
    return { resource: ok(data, error, response), etag: etagOf(response) };
  }

  /** Requests deletion; the client stays readable in phase Deleting until it is gone. */
  async delete(namespace: string, name: string, conditions: { ifMatch?: string } = {}): Promise<Versioned> {
    const header: { "If-Match"?: string } = {};
    if (conditions.ifMatch !== undefined) header["If-Match"] = conditions.ifMatch;
    const { data, error, response } = await this.raw.DELETE(RESOURCE, {
      params: { path: { namespace, name }, header },
    });
    return { resource: ok(data, error, response), etag: etagOf(response) };
  }

  /** One page of a namespace's clients. */
  async list(namespace: string, query: ListQuery = {}): Promise<UserPoolClientPage> {
    const { data, error, response } = await this.raw.GET(
      "/v1/namespaces/{namespace}/user-pool-clients",
      { params: { path: { namespace }, query } },
    );
    return ok(data, error, response);
  }

  /** Every client of a namespace that matches `query`, page after page. */
  async *listAll(namespace: string, query: ListQuery = {}): AsyncGenerator<UserPoolClient> {
    let cursor: string | undefined;
    do {
      const page = await this.list(namespace, { ...query, cursor });
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  /** One page of a client's timeline, oldest first. */
  async events(
    namespace: string,
    name: string,
    query: { limit?: number; cursor?: string } = {},
  ): Promise<EventPage> {
    const { data, error, response } = await this.raw.GET(`${RESOURCE}/events`, {
      params: { path: { namespace, name }, query },
    });
    return ok(data, error, response);
  }

  /** What a document would do to the client, without storing it. */
  async plan(namespace: string, name: string, document: UserPoolClientDocument): Promise<Plan> {
    const { data, error, response } = await this.raw.POST(`${RESOURCE}/plan`, {
      params: { path: { namespace, name } },
      body: document,
    });
    return ok(data, error, response);
  }

  /** Reads the client until `until` holds for it, and returns it. */
  async waitFor(
    namespace: string,
    name: string,
    until: (resource: UserPoolClient) => boolean,
    options: WaitOptions = {},
  ): Promise<Versioned> {
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    for (;;) {
      const current = await this.get(namespace, name);
      if (until(current.resource)) return current;
      if (current.resource.status.phase === "Failed") {
        throw new Error(`${namespace}/${name} failed: ${JSON.stringify(current.resource.status.lastError)}`);
      }
      if (Date.now() > deadline) throw new Error(`${namespace}/${name}: gave up waiting`);
      await sleep(options.intervalMs ?? 500);
    }
  }

  /** Waits until the client is Ready at its latest generation. */
  async waitForReady(namespace: string, name: string, options: WaitOptions = {}): Promise<Versioned> {
    return this.waitFor(
      namespace,
      name,
      (r) => r.status.phase === "Ready" && r.status.observedGeneration === r.metadata.generation,
      options,
    );
  }

  /** Waits until a deleted client is gone (reads answer 404). */
  async waitForDeletion(namespace: string, name: string, options: WaitOptions = {}): Promise<void> {
    const deadline = Date.now() + (options.timeoutMs ?? 120_000);
    for (;;) {
      try {
        await this.get(namespace, name);
      } catch (err) {
        if (err instanceof ProblemError && err.status === 404) return;
        throw err;
      }
      if (Date.now() > deadline) throw new Error(`${namespace}/${name}: gave up waiting`);
      await sleep(options.intervalMs ?? 500);
    }
  }

  /**
   * A namespace's events as they happen (Server-Sent Events), from now or after `lastEventId`.
   * The stream ends when `signal` aborts.
   */
  async *watch(
    namespace: string,
    options: { lastEventId?: number; signal?: AbortSignal } = {},
  ): AsyncGenerator<Event> {
    const url = new URL(`v1/namespaces/${encodeURIComponent(namespace)}/events`, withSlash(this.options.baseUrl));
    url.searchParams.set("watch", "true");
    const headers: Record<string, string> = { Accept: "text/event-stream" };
    if (this.options.token !== undefined) headers["Authorization"] = `Bearer ${this.options.token}`;
    if (options.lastEventId !== undefined) headers["Last-Event-ID"] = String(options.lastEventId);
    const fetcher = this.options.fetch ?? globalThis.fetch;
    const response = await fetcher(url, { headers, signal: options.signal });
    if (!response.ok || response.body === null) {
      const problem: Problem = await response.json();
      throw new ProblemError(response.status, problem);
    }
    const decoder = new TextDecoder();
    let buffer = "";
    let data: string[] = [];
    const reader = response.body.getReader();
    try {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) return;
        buffer += decoder.decode(chunk.value, { stream: true });
        let end = buffer.indexOf("\n");
        while (end >= 0) {
          const line = buffer.slice(0, end).replace(/\r$/, "");
          buffer = buffer.slice(end + 1);
          if (line === "") {
            // A blank line ends an event; keep-alive comments leave no data.
            if (data.length > 0) {
              const event: Event = JSON.parse(data.join("\n"));
              yield event;
            }
            data = [];
          } else if (line.startsWith("data:")) {
            data.push(line.slice(5).replace(/^ /, ""));
          }
          end = buffer.indexOf("\n");
        }
      }
    } catch (err) {
      if (options.signal?.aborted) return;
      throw err;
    } finally {
      reader.releaseLock();
    }
  }
}

/** A client for the API at `options.baseUrl`. */
export function createCcplaneClient(options: CcplaneOptions): Ccplane {
  return new Ccplane(options);
}

function ok<T>(data: T | undefined, error: Problem | undefined, response: Response): T {
  if (error !== undefined) throw new ProblemError(response.status, error);
  if (data === undefined) throw new Error(`${response.status}: the answer has no body`);
  return data;
}

function etagOf(response: Response): string {
  return response.headers.get("ETag") ?? "";
}

function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
