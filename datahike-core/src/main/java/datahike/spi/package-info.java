/**
 * Service interfaces. The connection SPI: how a configuration with {@code :remote-peer} or {@code
 * :writer} gets its connection from another module, while callers keep using {@link
 * datahike.Datahike#connect}, {@link datahike.Connection} and {@link datahike.Database}; and the
 * registrars a server loads at startup.
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
 *   <li>{@link datahike.spi.FunctionRegistrar}: registers named transaction functions, entity
 *       predicates and query functions; a server loads registrars at startup ({@code :plugins},
 *       or found through {@link java.util.ServiceLoader}), since requests carry names, not code.
 * </ul>
 *
 * For implementers of providers and of server plugins; applications otherwise do not use this
 * package.
 */
package datahike.spi;
