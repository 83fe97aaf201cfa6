/**
 * XDR of the NFSv4 callback program (RFC 8881 §20, RFC 7862 §16.1): CB_NULL and CB_COMPOUND
 * ({@link org.jnfsd.protocol.nfs4.callback.CbCompoundArgs}, {@link org.jnfsd.protocol.nfs4.callback.CbCompoundResult})
 * with CB_SEQUENCE, CB_RECALL, CB_GETATTR, CB_RECALL_ANY, CB_NOTIFY_LOCK and CB_OFFLOAD, encoded and
 * decoded in both directions (the server sends, the Java client answers). Program number: the
 * client's csa_cb_program; version: always 1 ({@link org.jnfsd.protocol.nfs4.callback.CallbackProgram#VERSION}).
 */
package org.jnfsd.protocol.nfs4.callback;
