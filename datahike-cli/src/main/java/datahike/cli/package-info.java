/**
 * The {@code datahike} command and its interactive console. Internal: {@link datahike.cli.Main} is
 * the only entry point; nothing here is API.
 */
package datahike.cli;
