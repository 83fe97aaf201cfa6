/** XDR codecs of the delegation operations (DELEGRETURN). */
package org.jnfsd.protocol.nfs4.delegation;
