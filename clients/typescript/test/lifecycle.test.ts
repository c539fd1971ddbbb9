// The whole life of a UserPoolClient through the published client, against a live `ccplane serve`
// (CCPLANE_URL, CCPLANE_TOKEN; scripts/test-clients.sh starts one). Type-checked with
// `tsc --strict`: no casts, so the generated types must fit what a user writes.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import {
  type Event,
  ProblemError,
  type UserPoolClientDocument,
  type UserPoolClientProperties,
  createCcplaneClient,
} from "../src/index.js";

const baseUrl = process.env["CCPLANE_URL"] ?? "http://127.0.0.1:8080";
const token = process.env["CCPLANE_TOKEN"];
const fixtures = new URL("../../../../tests/fixtures/", import.meta.url);

function fixture(name: string): UserPoolClientProperties {
  return JSON.parse(readFileSync(new URL(`${name}.json`, fixtures), "utf8"));
}

/** The first event from `events` for which `matches` holds. */
async function first(events: AsyncGenerator<Event>, matches: (event: Event) => boolean): Promise<Event> {
  for await (const event of events) {
    if (matches(event)) return event;
  }
  throw new Error("the stream ended first");
}

test("a client goes from PUT to Ready, is patched, listed, planned and deleted", async () => {
  const api = createCcplaneClient({ baseUrl, token });
  const namespace = "typescript-client";
  const name = `web-${Date.now()}`;

  // Watch the namespace before writing, so the stream sees the client become Ready.
  const stop = new AbortController();
  const readyEvent = first(
    api.watch(namespace, { signal: stop.signal }),
    (e) => e.name === name && e.kind === "PhaseChanged" && e.data.to === "Ready",
  );

  const document: UserPoolClientDocument = { labels: { suite: "typescript" }, properties: fixture("seed-basic") };
  const put = await api.put(namespace, name, document, { ifNoneMatch: "*" });
  assert.equal(put.created, true);
  assert.equal(put.resource.paused, false, "defaults are applied by the server");
  assert.equal(put.resource.deletionPolicy, "Delete");

  const streamed = await readyEvent;
  stop.abort();
  assert.equal(streamed.data.from === "Ready", false);
  const ready = await api.waitForReady(namespace, name);
  assert.equal(ready.resource.status.phase, "Ready");
  assert.equal(ready.resource.status.observedProperties?.ClientName, "exampleAppClient");

  const patched = await api.patch(
    namespace,
    name,
    { labels: { tier: "gold" }, properties: { ClientName: "renamedAppClient", LogoutURLs: null } },
    { ifMatch: ready.etag },
  );
  assert.equal(patched.resource.properties.ClientName, "renamedAppClient");
  assert.equal(patched.resource.properties.LogoutURLs, undefined);
  assert.notEqual(patched.etag, ready.etag);
  await assert.rejects(
    api.patch(namespace, name, { paused: true }, { ifMatch: ready.etag }),
    (err: unknown) => err instanceof ProblemError && err.status === 412 && err.problem.type.endsWith("/precondition-failed"),
  );
  await api.waitForReady(namespace, name);

  const gold = await api.list(namespace, { labels: "tier=gold" });
  assert.deepEqual(
    gold.items.map((c) => c.name),
    [name],
  );
  const everyGold: string[] = [];
  for await (const client of api.listAll(namespace, { labels: "suite=typescript", limit: 1 })) {
    everyGold.push(client.name);
  }
  assert.ok(everyGold.includes(name));

  const events = await api.events(namespace, name);
  const kinds = events.items.map((e) => e.kind);
  assert.ok(kinds.includes("SpecCreated") && kinds.includes("SpecChanged"), kinds.join(", "));
  const change = events.items.find((e) => e.kind === "SpecChanged");
  assert.ok(change?.data.changedFields?.includes("/properties/ClientName"));

  const plan = await api.plan(namespace, name, {
    properties: { ...fixture("seed-basic"), ClientName: "plannedAppClient" },
  });
  assert.equal(plan.action, "update");
  assert.ok(plan.patch.some((op) => op.op === "replace" && op.path === "/ClientName" && op.value === "plannedAppClient"));
  assert.ok(plan.changes.some((c) => c.pointer === "/ClientName"));

  const deleting = await api.delete(namespace, name);
  assert.equal(deleting.resource.status.phase, "Deleting");
  await api.waitForDeletion(namespace, name);
  await assert.rejects(
    api.get(namespace, name),
    (err: unknown) => err instanceof ProblemError && err.status === 404,
  );
});

test("a rejected document names every wrong field", async () => {
  const api = createCcplaneClient({ baseUrl, token });
  await assert.rejects(
    api.put("typescript-client", "invalid", {
      region: "moon",
      properties: { UserPoolId: "us-east-1_examplePoolId", CallbackURLs: ["http://example.com/cb"] },
    }),
    (err: unknown) =>
      err instanceof ProblemError &&
      err.status === 422 &&
      (err.problem.errors ?? []).map((e) => e.pointer).includes("/region"),
  );
});
