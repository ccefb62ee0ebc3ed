/**
 * The remote client: Datahike's API over HTTP against a {@code datahike.server} server, with the
 * JDK's {@link java.net.http.HttpClient}.
 *
 * <ul>
 *   <li>{@link datahike.server.client.RemoteDatahike#connect} with {@code :remote-peer {:backend
 *       :datahike-server :url "http://host:4444" :token "..." :format :transit}} in the
 *       configuration gives a {@link datahike.server.client.RemoteConnection}: every call goes to
 *       the server.
 *   <li>{@link datahike.server.client.WriterConnection#connect} with {@code :writer {:backend
 *       :datahike-server :url ... :token ...}} reads locally (a store shared with the server) and
 *       sends transactions to the server.
 * </ul>
 *
 * Public API: the classes named above, {@link datahike.server.client.RemoteDatabase}, {@link
 * datahike.server.client.RemoteTxReport} and {@link datahike.server.client.RemoteException}.
 */
package datahike.server.client;
