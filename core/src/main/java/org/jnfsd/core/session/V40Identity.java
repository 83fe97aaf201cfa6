package org.jnfsd.core.session;

import java.util.Arrays;
import org.jnfsd.protocol.nfs4.v40.CallbackClient;

/**
 * What an NFSv4.0 client record has on top of a 4.1 one (RFC 7530 §16.33): the verifier
 * SETCLIENTID_CONFIRM must echo, and the callback the client named (program, address, and the
 * callback_ident it wants in every CB_COMPOUND). Immutable; a callback update replaces it.
 */
public record V40Identity(byte[] confirm, CallbackClient callback, int callbackIdent) {
    public V40Identity {
        confirm = confirm.clone();
    }

    @Override
    public byte[] confirm() {
        return confirm.clone();
    }

    boolean confirms(byte[] verifier) {
        return Arrays.equals(confirm, verifier);
    }
}
