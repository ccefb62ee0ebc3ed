/**
 * The Datahike HTTP server: {@link datahike.server.ServerMain} starts one from a {@link
 * datahike.server.ServerConfig}; the routes and the OpenAPI description are derived from {@link
 * datahike.api.Operation}. The remote client is in {@code datahike.server.client}; the wire formats
 * are in {@code datahike.server.codec} (internal).
 *
 * <p>Every remote operation is {@code POST /<cli-name>} with its arguments by name; {@code GET
 * /openapi.json} describes them, {@code GET /health} and {@code GET /metrics} (Prometheus) watch
 * the server. In JSON (see {@link datahike.server.codec.JsonCodec}):
 *
 * <pre>
 * POST /transact   Authorization: token secret
 * {"conn": "people", "tx-data": [{"name": "Alice", "status": ":active"}]}
 *
 * POST /query      Authorization: token reader
 * {"query": "[:find ?n :in $ ?s :where [?e :name ?n] [?e :status ?s]]",
 *  "inputs": [{"#datahike/DB": {"name": "people"}}, ":active"]}
 * → {"#set": [["Alice"]]}
 *
 * POST /pull
 * {"db": {"name": "people", "as-of": 536870913}, "pattern": "[*]", "eid": [":name", "Alice"]}
 * </pre>
 *
 * Errors are {@code {"error": ":code", "message": "...", "data": {...}}} with a 4xx or 5xx status.
 *
 * <p>Public API: {@link datahike.server.Server}, {@link datahike.server.ServerConfig}, {@link
 * datahike.server.ServerMain}. Everything else in this package is internal.
 */
package datahike.server;
