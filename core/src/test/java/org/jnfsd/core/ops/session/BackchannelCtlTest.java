package org.jnfsd.core.ops.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jnfsd.core.ops.session.Harness.seq;

import java.util.List;
import org.jnfsd.core.session.Session;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.session.BackchannelCtlArgs;
import org.jnfsd.protocol.nfs4.session.CallbackSecParms;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.junit.jupiter.api.Test;

class BackchannelCtlTest {
    private final Harness h = new Harness();

    @Test
    void backchannelCtl_underSequence_recordsProgramAndSecurity() throws Exception {
        SessionId id = h.newSession();
        List<CallbackSecParms> sec = List.of(CallbackSecParms.None.INSTANCE);

        assertThat(h.call(seq(id, 1, 0, false), new BackchannelCtlArgs(0x40000099, sec)).status())
                .isEqualTo(NfsStatus.NFS4_OK);

        Session s = h.server.sessions().session(id);
        assertThat(s.cbProgram()).isEqualTo(0x40000099);
        assertThat(s.callbackSecurity()).isEqualTo(sec);
    }

    @Test
    void backchannelCtl_onlyGss_encrAlgUnsupportedAndNothingRecorded() throws Exception {
        SessionId id = h.newSession();
        Session s = h.server.sessions().session(id);
        int before = s.cbProgram();

        Harness.Reply r = h.call(seq(id, 1, 0, false),
                new BackchannelCtlArgs(1, List.of(new CallbackSecParms.Gss(1, new byte[1], new byte[2]))));

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_ENCR_ALG_UNSUPP);
        assertThat(s.cbProgram()).isEqualTo(before);
    }
}
