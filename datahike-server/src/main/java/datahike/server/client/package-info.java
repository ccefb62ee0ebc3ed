/**
 * The remote client: the {@code :datahike-server} {@link datahike.spi.ConnectionProvider}, which
 * makes {@link datahike.Datahike#connect} speak HTTP to a {@code datahike.server} server with the
 * JDK's {@link java.net.http.HttpClient}. Applications use only the core API:
 *
 * <ul>
 *   <li>{@code :remote-peer {:backend :datahike-server :url "http://host:4444" :token "..." :format
 *       :transit}} in the configuration: every call of the {@link datahike.Connection} and of its
 *       {@link datahike.Database}s goes to the server; {@link datahike.Datahike#q} with such a
 *       database runs the whole query there.
 *   <li>{@code :writer {:backend :datahike-server :url ... :token ...}} beside a {@code :store}
 *       shared with the server: reads are local, transactions go to the server.
 * </ul>
 *
 * Public here: {@link datahike.server.client.DatahikeServerProvider} (for the service loader) and
 * {@link datahike.server.client.RemoteException}, the {@link datahike.DatahikeException} of an
 * answer, with its HTTP status.
 */
package datahike.server.client;
