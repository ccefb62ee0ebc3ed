package datahike.spi;

/**
 * Registers named code in this JVM: transaction functions ({@link
 * datahike.Datahike#registerTxFunction}), entity predicates ({@link
 * datahike.Datahike#registerEntityPredicate}), query functions and the like. Requests to a server
 * never carry code, only names, so whatever a client's transactions and queries name must be
 * registered in the server's JVM: the server calls {@link #register()} at startup on the classes
 * its configuration lists under {@code :plugins} and on every implementation {@link
 * java.util.ServiceLoader} finds (listed in {@code
 * META-INF/services/datahike.spi.FunctionRegistrar} of a jar on its class path).
 *
 * <p>Implementations need a public no-argument constructor; {@link #register()} may run more than
 * once in a JVM (registering a name again replaces it).
 */
public interface FunctionRegistrar {
  /** Registers this registrar's functions; an exception here stops the server's start. */
  void register();
}
