/** Bumped whenever a message shape changes incompatibly; hosts and clients refuse a mismatch. */
export const PROTOCOL_VERSION = 1
