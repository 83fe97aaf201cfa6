/**
 * XDR types of the NFSv4.2 extended attribute operations (RFC 8276 §8): GETXATTR, SETXATTR,
 * LISTXATTRS and REMOVEXATTR. Names stay raw bytes (xattrkey4 is a component4): whether one is
 * UTF-8 or too long is the operation's verdict.
 */
package org.jnfsd.protocol.nfs4.xattr;
