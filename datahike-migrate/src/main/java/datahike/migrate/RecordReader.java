package datahike.migrate;

import java.io.Closeable;

/** Reads the records of an export file one by one. */
interface RecordReader extends Closeable {
  /**
   * The next record, or null at the end of the file.
   *
   * @throws datahike.DatahikeException {@code :migrate/corrupt} naming the file and position
   */
  Record next();

  /** Where the last record read starts, for messages: file and byte offset or line. */
  String position();
}
