/**
 * The connection SPI: how a configuration with {@code :remote-peer} or {@code :writer} gets its
 * connection from another module, while callers keep using {@link datahike.Datahike#connect},
 * {@link datahike.Connection} and {@link datahike.Database}.
 *
 * <ul>
 *   <li>{@link datahike.spi.ConnectionProvider}: found through {@link java.util.ServiceLoader}
 *       (list it in {@code META-INF/services/datahike.spi.ConnectionProvider}), answers to the
 *       {@code :backend} names of {@code :remote-peer} / {@code :writer} maps, e.g. {@code
 *       :datahike-server}.
 *   <li>{@link datahike.spi.ConnectionBackend}: what a {@link datahike.Connection} delegates to.
 *   <li>{@link datahike.spi.DatabaseBackend}: what a {@link datahike.Database} delegates to; the
 *       local engine's is built into core, a provider's is wrapped with {@link
 *       datahike.Database#of(DatabaseBackend)}.
 *   <li>{@link datahike.spi.LocalReader}: a database's store opened read-only, for providers
 *       whose reads stay local ({@code :writer}).
 * </ul>
 *
 * For implementers of providers; applications do not use this package.
 */
package datahike.spi;
