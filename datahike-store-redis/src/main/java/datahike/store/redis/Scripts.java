package datahike.store.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of the Redis store. A script runs atomically on the server, so each is one
 * indivisible step: a blob batch with its key-set entries, a head compare-and-set, a fenced log
 * append. Every key a script touches shares the store's hash tag {@code {prefix}}, so all of them
 * live in one cluster slot. Scripts are called by their SHA-1 ({@code EVALSHA}) and sent whole once
 * when the server does not know them yet.
 */
enum Scripts {
  /** KEYS: key set, blob keys; ARGV: framed values, then the blob names. */
  PUT(
      """
      local n = #KEYS - 1
      for i = 1, n do
        redis.call('SET', KEYS[i + 1], ARGV[i])
        redis.call('SADD', KEYS[1], ARGV[n + i])
      end
      return n
      """),

  /** KEYS: key set, blob keys; ARGV: the blob names. */
  DELETE(
      """
      local n = #KEYS - 1
      for i = 1, n do
        redis.call('DEL', KEYS[i + 1])
        redis.call('SREM', KEYS[1], ARGV[i])
      end
      return n
      """),

  /** KEYS: head; ARGV: expected frame (ignored when ARGV[3] is '1': no head yet), next frame. */
  CAS_HEAD(
      """
      local cur = redis.call('GET', KEYS[1])
      if ARGV[3] == '1' then
        if cur then return 0 end
      elseif cur ~= ARGV[1] then
        return 0
      end
      redis.call('SET', KEYS[1], ARGV[2])
      return 1
      """),

  /**
   * KEYS: lock, sequence counter, log index, group key; ARGV: token, first sequence, record count,
   * framed group. Fails unless the caller holds the lock and the group continues the log.
   */
  APPEND(
      """
      if redis.call('GET', KEYS[1]) ~= ARGV[1] then
        return redis.error_reply('NOTLOCKED ' .. tostring(redis.call('GET', KEYS[1])))
      end
      local last = tonumber(redis.call('GET', KEYS[2]) or '0')
      if last + 1 ~= tonumber(ARGV[2]) then
        return redis.error_reply('BADSEQ the log is at ' .. last)
      end
      redis.call('SET', KEYS[4], ARGV[4])
      redis.call('ZADD', KEYS[3], ARGV[2], ARGV[2])
      return redis.call('INCRBY', KEYS[2], ARGV[3])
      """),

  /**
   * KEYS: log index; ARGV: from sequence, group key prefix. Returns first sequence and frame (nil
   * when missing) of the group holding the from sequence and of every later group.
   */
  READ_LOG(
      """
      local start = redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[1], '-inf', 'LIMIT', 0, 1)
      local min = '-inf'
      if #start > 0 then min = start[1] end
      local firsts = redis.call('ZRANGEBYSCORE', KEYS[1], min, '+inf')
      local out = {}
      for _, f in ipairs(firsts) do
        out[#out + 1] = f
        out[#out + 1] = redis.call('GET', ARGV[2] .. f)
      end
      return out
      """),

  /**
   * KEYS: lock, log index; ARGV: token, sequence, group key prefix. Drops the groups before the one
   * holding the sequence (or before the last group); returns how many.
   */
  TRUNCATE(
      """
      if redis.call('GET', KEYS[1]) ~= ARGV[1] then
        return redis.error_reply('NOTLOCKED ' .. tostring(redis.call('GET', KEYS[1])))
      end
      local keep = redis.call('ZREVRANGEBYSCORE', KEYS[2], ARGV[2], '-inf', 'LIMIT', 0, 1)
      if #keep == 0 then return 0 end
      local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. keep[1])
      for _, f in ipairs(old) do redis.call('DEL', ARGV[3] .. f) end
      redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. keep[1])
      return #old
      """),

  /**
   * KEYS: lock, sequence counter, log index, group key (or a dummy); ARGV: token, first sequence of
   * the group to delete (or ''), last sequence. Removes a torn last group, sets the counter.
   */
  FIX_TAIL(
      """
      if redis.call('GET', KEYS[1]) ~= ARGV[1] then
        return redis.error_reply('NOTLOCKED ' .. tostring(redis.call('GET', KEYS[1])))
      end
      if ARGV[2] ~= '' then
        redis.call('DEL', KEYS[4])
        redis.call('ZREM', KEYS[3], ARGV[2])
      end
      redis.call('SET', KEYS[2], ARGV[3])
      return 1
      """),

  /** KEYS: lock; ARGV: token, lease ms. Extends the lease if the caller still holds the lock. */
  RENEW(
      """
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        return redis.call('PEXPIRE', KEYS[1], ARGV[2])
      end
      return 0
      """),

  /** KEYS: lock; ARGV: token. Releases the lock if the caller holds it. */
  UNLOCK(
      """
      if redis.call('GET', KEYS[1]) == ARGV[1] then
        return redis.call('DEL', KEYS[1])
      end
      return 0
      """);

  private final String text;
  private final String sha;

  Scripts(String text) {
    this.text = text;
    try {
      this.sha =
          HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs this script with {@code keys} and {@code args}. */
  <T> T run(RedisCommands<byte[], byte[]> c, ScriptOutputType type, byte[][] keys, byte[]... args) {
    try {
      return c.evalsha(sha, type, keys, args);
    } catch (RedisNoScriptException e) {
      return c.eval(text, type, keys, args);
    }
  }
}
