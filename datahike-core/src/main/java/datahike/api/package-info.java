/**
 * The declarative table of API operations ({@link datahike.api.Operation}) from which the Java
 * facade, CLI, HTTP server and OpenAPI description are derived. Public: other modules read it.
 */
package datahike.api;
