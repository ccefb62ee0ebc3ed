/**
 * Internal: the JDBC store backend ({@code :backend :jdbc}) for PostgreSQL, MariaDB/MySQL, SQLite
 * and H2. Not public API; users name it in a store configuration and {@link datahike.store.Stores}
 * finds it through {@link java.util.ServiceLoader}.
 */
package datahike.store.jdbc;
