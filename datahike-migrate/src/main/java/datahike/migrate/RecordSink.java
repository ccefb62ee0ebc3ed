package datahike.migrate;

import java.io.IOException;

/** Writes the records of an export file in one format; closing ends the file. */
interface RecordSink extends AutoCloseable {
  /** Writes {@code [e a v tx added]}; {@code a} is a Keyword or a Long entity id. */
  void write(long e, Object a, Object v, long tx, boolean added) throws IOException;

  @Override
  void close() throws IOException;
}
