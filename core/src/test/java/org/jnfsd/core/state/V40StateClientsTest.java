package org.jnfsd.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.jnfsd.protocol.nfs4.StateId;
import org.junit.jupiter.api.Test;

/**
 * {@link V40StateClients}: a 4.0 stateid names its client and owner until it ends; an owner keeps
 * one closed stateid (for a retransmitted CLOSE) and the previous one goes when it closes another;
 * an owner's and a client's entries go when they expire, and nothing of another client goes with them.
 */
class V40StateClientsTest {
    static final long A = 0xa;
    static final long B = 0xb;

    private final V40StateClients index = new V40StateClients();
    private final V40Owners.Key ownerA = V40Owners.Key.of(A, V40Owners.Kind.OPEN, new byte[] {1});
    private final V40Owners.Key ownerB = V40Owners.Key.of(B, V40Owners.Kind.OPEN, new byte[] {1});

    private static StateId sid(int n) {
        byte[] other = new byte[StateId.OTHER_SIZE];
        other[0] = (byte) n;
        return new StateId(1, other);
    }

    @Test
    void issued_namesClientAndOwner_anySeqid_unknownIsNull() {
        index.issued(A, sid(1), ownerA);
        index.issued(A, sid(2), null); // a delegation

        assertThat(index.clientOf(sid(1).withSeqid(7))).isEqualTo(A);
        assertThat(index.ownerOf(sid(1))).isEqualTo(ownerA);
        assertThat(index.clientOf(sid(2))).isEqualTo(A);
        assertThat(index.ownerOf(sid(2))).isNull();
        assertThat(index.clientOf(sid(3))).isNull();
        assertThat(index.ownerOf(sid(3))).isNull();
        assertThat(index.size()).isEqualTo(2);
        assertThat(index.hasState(A)).as("an index never makes a client busy").isFalse();
        assertThat(index.step()).isEqualTo(TeardownStep.DROP_TABLES);
    }

    @Test
    void closed_keepsTheOwnersLastClosed_previousOneGoes_sameOneTwiceStays() {
        index.issued(A, sid(1), ownerA);
        index.issued(A, sid(2), ownerA);
        index.closed(sid(1), ownerA);
        assertThat(index.clientOf(sid(1))).as("kept for a retransmitted CLOSE").isEqualTo(A);

        index.closed(sid(1), ownerA); // the retransmission
        assertThat(index.clientOf(sid(1))).isEqualTo(A);

        index.closed(sid(2), ownerA);
        assertThat(index.clientOf(sid(1))).as("the previous closed one").isNull();
        assertThat(index.clientOf(sid(2))).isEqualTo(A);
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void ended_removesTheEntry_andAnEmptiedClientsIndex() {
        index.issued(A, sid(1), null);
        index.issued(B, sid(2), null);
        index.ended(sid(1));
        index.ended(sid(9)); // unknown: nothing

        assertThat(index.clientOf(sid(1))).isNull();
        assertThat(index.clientOf(sid(2))).isEqualTo(B);
        assertThat(index.clientsIndexed()).as("A has nothing left").isEqualTo(1);
        index.ended(sid(2));
        assertThat(index.clientsIndexed()).isZero();
        assertThat(index.size()).isZero();
    }

    @Test
    void forgetOwner_itsLastClosedGoes_otherOwnersStay() {
        index.issued(A, sid(1), ownerA);
        index.issued(B, sid(2), ownerB);
        index.closed(sid(1), ownerA);
        index.closed(sid(2), ownerB);

        index.forgetOwner(ownerA);
        index.forgetOwner(ownerA); // nothing left to forget

        assertThat(index.clientOf(sid(1))).isNull();
        assertThat(index.clientOf(sid(2))).isEqualTo(B);
        assertThat(index.clientsIndexed()).isEqualTo(1);
    }

    @Test
    void releaseClient_dropsItsEntriesAndLastClosed_otherClientUntouched() {
        index.issued(A, sid(1), ownerA);
        index.issued(A, sid(2), ownerA);
        index.issued(B, sid(3), ownerB);
        index.closed(sid(1), ownerA);
        index.closed(sid(3), ownerB);

        index.releaseClient(A);
        index.releaseClient(A); // again: nothing

        assertThat(index.clientOf(sid(1))).isNull();
        assertThat(index.clientOf(sid(2))).isNull();
        assertThat(index.clientOf(sid(3))).isEqualTo(B);
        assertThat(index.clientsIndexed()).isEqualTo(1);

        // B's last closed is still remembered: closing another drops it
        index.issued(B, sid(4), ownerB);
        index.closed(sid(4), ownerB);
        assertThat(index.clientOf(sid(3))).isNull();

        // A's was forgotten: an entry issued again under its old stateid is not dropped by A's owner
        index.issued(A, sid(1), ownerA);
        index.forgetOwner(ownerA);
        assertThat(index.clientOf(sid(1))).isEqualTo(A);
    }
}
