package datahike.durable;

import datahike.DatahikeException;
import datahike.Datom;
import datahike.codec.DecodedNode;
import datahike.codec.NodeCodec;
import datahike.index.NodeStore;
import datahike.store.Store;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Index nodes kept in a {@link Store}: reads and decodes them on demand (through the bounded
 * cache of {@link NodeStore}), and encodes new nodes into a batch that {@link #flush()} writes in
 * one durable {@code putAll}. Node addresses are random and never reused, so a stored node is
 * immutable and any number of readers may share it.
 */
final class StoredNodes extends NodeStore implements NodeStore.Writer {
  private final Store store;
  private final Map<String, byte[]> batch = new LinkedHashMap<>();

  StoredNodes(Store store, long maxCachedDatoms) {
    super(maxCachedDatoms);
    this.store = store;
  }

  @Override
  protected Decoded fetch(String address) {
    byte[] b = store.get(address);
    if (b == null) {
      throw DatahikeException.of(
          "store/missing-node", "Index node " + address + " is missing from the store", "key", address);
    }
    try {
      DecodedNode n = NodeCodec.decode(b);
      if (n instanceof DecodedNode.Branch br) {
        return new Decoded(br.maxKeys(), br.childAddresses(), br.childCounts());
      }
      return new Decoded(((DecodedNode.Leaf) n).keys(), null, null);
    } catch (DatahikeException e) {
      throw DatahikeException.of(
          "store/corrupt", "Index node " + address + " is damaged: " + e.getMessage(), "key", address, e);
    }
  }

  /** The decoded content of a node without caching it (garbage collection walks). */
  Decoded fetchForGc(String address) {
    return fetch(address);
  }

  private static String newAddress() {
    return "n-" + System.currentTimeMillis() + "-" + UUID.randomUUID();
  }

  @Override
  public String writeLeaf(Datom[] keys, int len) {
    String a = newAddress();
    batch.put(a, NodeCodec.encodeLeaf(keys, 0, len));
    return a;
  }

  @Override
  public String writeBranch(Datom[] maxKeys, String[] kids, long[] counts, int len) {
    String a = newAddress();
    batch.put(a, NodeCodec.encodeBranch(maxKeys, kids, counts, len));
    return a;
  }

  /**
   * Writes the batched nodes durably; returns how many. The batch is emptied even when the write
   * fails: its nodes were never named (see {@link datahike.index.PersistedNodes}), so the next
   * flush encodes them again under new addresses, and whatever part of the batch did reach the
   * store is unreachable garbage for {@code gcStorage}.
   */
  int flush() {
    int n = batch.size();
    if (n > 0) {
      try {
        store.putAll(batch);
      } finally {
        batch.clear();
      }
    }
    return n;
  }
}
