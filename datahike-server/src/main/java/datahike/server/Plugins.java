package datahike.server;

import datahike.DatahikeException;
import datahike.spi.FunctionRegistrar;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the server's {@link FunctionRegistrar}s at start: first every one {@link ServiceLoader}
 * finds on the class path, then the classes named by {@code :plugins}, in order (so a named class
 * may override a discovered registration). Requests never carry code; this is how the transaction
 * functions, entity predicates and query functions they name get into the server's JVM.
 *
 * <p>Every failure is {@code :server/plugin} naming the class: unknown, not a {@link
 * FunctionRegistrar}, not instantiable, or failing in {@link FunctionRegistrar#register()}. The
 * server does not start then.
 */
final class Plugins {
  private static final Logger LOG = LoggerFactory.getLogger(Plugins.class);

  private Plugins() {}

  /** Runs the discovered registrars and those named; returns the class names run, in order. */
  static List<String> load(List<String> classNames) {
    ClassLoader loader = loader();
    Set<String> done = new LinkedHashSet<>();
    ServiceLoader<FunctionRegistrar> found = ServiceLoader.load(FunctionRegistrar.class, loader);
    for (ServiceLoader.Provider<FunctionRegistrar> p : found.stream().toList()) {
      String name = p.type().getName();
      FunctionRegistrar r;
      try {
        r = p.get();
      } catch (java.util.ServiceConfigurationError e) {
        throw failure(name, "could not be instantiated: " + e.getMessage(), e);
      }
      register(name, r);
      done.add(name);
    }
    for (String name : classNames) {
      register(name, instantiate(name, loader));
      done.add(name);
    }
    if (!done.isEmpty()) LOG.info("registered functions of {}", done);
    return new ArrayList<>(done);
  }

  private static ClassLoader loader() {
    ClassLoader ctx = Thread.currentThread().getContextClassLoader();
    return ctx != null ? ctx : Plugins.class.getClassLoader();
  }

  private static FunctionRegistrar instantiate(String name, ClassLoader loader) {
    Class<?> c;
    try {
      c = Class.forName(name, true, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw failure(name, "is not on the server's class path (" + e + ")", e);
    }
    if (!FunctionRegistrar.class.isAssignableFrom(c)) {
      throw failure(name, "does not implement " + FunctionRegistrar.class.getName(), null);
    }
    try {
      return (FunctionRegistrar) c.getConstructor().newInstance();
    } catch (NoSuchMethodException | IllegalAccessException e) {
      throw failure(name, "needs a public no-argument constructor", e);
    } catch (InstantiationException e) {
      throw failure(name, "cannot be instantiated (abstract?)", e);
    } catch (InvocationTargetException e) {
      throw failure(name, "failed in its constructor: " + e.getCause(), e.getCause());
    }
  }

  private static void register(String name, FunctionRegistrar r) {
    try {
      r.register();
    } catch (RuntimeException | LinkageError e) {
      throw failure(name, "failed to register its functions: " + e, e);
    }
  }

  private static DatahikeException failure(String name, String what, Throwable cause) {
    String msg = "Server plugin " + name + " " + what;
    return cause == null
        ? DatahikeException.of("server/plugin", msg, "class", name)
        : DatahikeException.of("server/plugin", msg, "class", name, cause);
  }
}
