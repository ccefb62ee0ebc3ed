package datahike.server.client;

import datahike.Database;
import datahike.DatahikeException;
import datahike.Datom;
import datahike.Entity;
import datahike.edn.Keyword;
import datahike.edn.Symbol;
import datahike.edn.Tagged;
import datahike.spi.DatabaseBackend;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What may be sent to a server: data (what the wire formats encode) and the server's own database
 * values (turned into references by {@link RemoteClient} before this check). Anything else, Java code above all (a function given as a query input, a predicate), or a
 * local database, fails before the request with {@code :remote/unsupported} naming the operation,
 * rather than as an encoding error or, in EDN, as its {@code toString()}.
 */
final class Sendable {
  private Sendable() {}

  /** Checks every value in {@code value}, iteratively (no recursion on deep data). */
  static void check(String operation, Object value) {
    List<Object> todo = new ArrayList<>(); // a stack that takes nulls
    todo.add(value);
    while (!todo.isEmpty()) {
      Object o = todo.remove(todo.size() - 1);
      if (o == null
          || o instanceof String
          || o instanceof Keyword
          || o instanceof Symbol
          || o instanceof Boolean
          || o instanceof Long
          || o instanceof Integer
          || o instanceof Short
          || o instanceof Byte
          || o instanceof Double
          || o instanceof Float
          || o instanceof BigInteger
          || o instanceof BigDecimal
          || o instanceof Character
          || o instanceof Date
          || o instanceof UUID
          || o instanceof Pattern
          || o instanceof byte[]
          || o instanceof long[]
          || o instanceof int[]
          || o instanceof double[]
          || o instanceof Datom
          || o instanceof Entity) {
        continue;
      }
      if (o instanceof Map<?, ?> m) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
          todo.add(e.getKey());
          todo.add(e.getValue());
        }
      } else if (o instanceof Collection<?> c) {
        for (Object x : c) todo.add(x);
      } else if (o instanceof Object[] a) {
        todo.addAll(Arrays.asList(a));
      } else if (o instanceof Tagged t) {
        todo.add(t.value());
      } else if (o instanceof Database || o instanceof DatabaseBackend) {
        throw DatahikeException.of(
            "remote/unsupported",
            operation
                + ": a local database, or a database nested in other data, cannot be sent to the"
                + " server; give the server's own databases as inputs",
            "operation",
            operation);
      } else {
        throw DatahikeException.of(
            "remote/unsupported",
            operation
                + ": a value of type "
                + o.getClass().getName()
                + " cannot be sent to the server (Java functions and other code run only locally)",
            "operation",
            operation,
            "type",
            o.getClass().getName());
      }
    }
  }
}
