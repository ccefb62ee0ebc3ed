/**
 * Internal: the Redis store backend ({@code :backend :redis}), through Lettuce. Not public API;
 * users name it in a store configuration and {@link datahike.store.Stores} finds it through {@link
 * java.util.ServiceLoader}.
 */
package datahike.store.redis;
