/**
 * XDR codecs of the NFSv4.2 data operations (RFC 7862): SEEK, ALLOCATE, DEALLOCATE, CLONE,
 * READ_PLUS, COPY, OFFLOAD_STATUS and OFFLOAD_CANCEL. Offsets and lengths are unsigned 64-bit on
 * the wire; a negative {@code long} here means above 2^63.
 */
package org.jnfsd.protocol.nfs4.v42;
