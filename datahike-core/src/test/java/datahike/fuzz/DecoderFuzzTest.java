package datahike.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import datahike.DatahikeException;
import datahike.codec.NodeCodec;
import datahike.codec.TxRecordCodec;
import datahike.codec.ValueCodec;
import datahike.store.BlobFrame;
import java.util.zip.CRC32C;

/**
 * Fuzzes the binary decoders of stored data: index nodes ({@link NodeCodec#decode}), log records
 * ({@link TxRecordCodec#decode}), standalone values ({@link ValueCodec#decode}) and the store
 * framing ({@link BlobFrame#decode(String, byte[], byte)}). The only allowed failure is a {@link
 * DatahikeException}. Seeds are real encodings written by {@link SeedCorpus}.
 */
class DecoderFuzzTest {
  @FuzzTest
  void node(byte[] data) {
    try {
      NodeCodec.decode(data);
    } catch (DatahikeException e) {
      // the documented failure
    }
  }

  @FuzzTest
  void txRecord(byte[] data) {
    try {
      TxRecordCodec.decode(data);
    } catch (DatahikeException e) {
      // the documented failure
    }
  }

  @FuzzTest
  void value(byte[] data) {
    try {
      ValueCodec.decode(data);
    } catch (DatahikeException e) {
      // the documented failure
    }
  }

  /**
   * Decodes the bytes as they are, expecting the kind named in byte 4; then, so that mutations
   * reach the checks behind the checksum, again with a freshly computed CRC32C footer.
   */
  @FuzzTest
  void blobFrame(byte[] data) {
    byte kind = data.length > 4 ? data[4] : BlobFrame.KIND_BLOB;
    frame(data, kind);
    frame(data, BlobFrame.KIND_BLOB);
    if (data.length >= BlobFrame.FOOTER_BYTES) {
      byte[] sealed = data.clone();
      int end = sealed.length - BlobFrame.FOOTER_BYTES;
      CRC32C crc = new CRC32C();
      crc.update(sealed, 0, end);
      int v = (int) crc.getValue();
      sealed[end] = (byte) (v >>> 24);
      sealed[end + 1] = (byte) (v >>> 16);
      sealed[end + 2] = (byte) (v >>> 8);
      sealed[end + 3] = (byte) v;
      frame(sealed, kind);
    }
  }

  private static void frame(byte[] bytes, byte kind) {
    try {
      BlobFrame.decode("fuzz", bytes, kind);
    } catch (DatahikeException e) {
      // the documented failure
    }
  }
}
