package org.jnfsd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jnfsd.protocol.nfs4.Fattr4;
import org.jnfsd.protocol.nfs4.NfsStatus;
import org.jnfsd.protocol.nfs4.NfsTime;
import org.jnfsd.protocol.nfs4.OpResult;
import org.jnfsd.protocol.nfs4.Opcode;
import org.jnfsd.protocol.nfs4.StateId;
import org.jnfsd.protocol.nfs4.callback.CallbackProgram;
import org.jnfsd.protocol.nfs4.callback.CbArgs;
import org.jnfsd.protocol.nfs4.callback.CbCompoundArgs;
import org.jnfsd.protocol.nfs4.callback.CbCompoundResult;
import org.jnfsd.protocol.nfs4.callback.CbGetattrArgs;
import org.jnfsd.protocol.nfs4.callback.CbGetattrResult;
import org.jnfsd.protocol.nfs4.callback.CbNotifyLockArgs;
import org.jnfsd.protocol.nfs4.callback.CbOffloadArgs;
import org.jnfsd.protocol.nfs4.callback.CbOpcode;
import org.jnfsd.protocol.nfs4.callback.CbRecallAnyArgs;
import org.jnfsd.protocol.nfs4.callback.CbRecallArgs;
import org.jnfsd.protocol.nfs4.callback.CbSequenceArgs;
import org.jnfsd.protocol.nfs4.callback.CbSequenceResult;
import org.jnfsd.protocol.nfs4.callback.CbStatusResult;
import org.jnfsd.protocol.nfs4.session.ChannelAttrs;
import org.jnfsd.protocol.nfs4.session.CreateSessionResult;
import org.jnfsd.protocol.nfs4.session.ExchangeIdResult;
import org.jnfsd.protocol.nfs4.session.ImplId;
import org.jnfsd.protocol.nfs4.session.ServerOwner;
import org.jnfsd.protocol.nfs4.session.SessionId;
import org.jnfsd.protocol.nfs4.session.StateProtectResult;
import org.jnfsd.protocol.xdr.XdrDecoder;
import org.jnfsd.protocol.xdr.XdrEncoder;
import org.jnfsd.rpc.Credential;
import org.jnfsd.rpc.RpcCall;
import org.jnfsd.rpc.RpcConnection;
import org.jnfsd.rpc.RpcProgram;
import org.jnfsd.rpc.RpcReply;
import org.jnfsd.rpc.RpcServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's callback service over TCP against a tiny stand-in server: it answers EXCHANGE_ID
 * and CREATE_SESSION (granting {@link #BACK_SLOTS} backchannel slots) and then calls the client's
 * callback program directly on the connection, so each test decides the exact CB_SEQUENCE sent.
 * Waits are bounded.
 */
class ClientCallbackServiceTest {
    private static final Credential CRED = Credential.AuthNone.INSTANCE;
    private static final long BOUND_S = 30;
    private static final int BACK_SLOTS = 2;
    private static final SessionId SESSION = new SessionId(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
    private static final StateId DELEG = new StateId(1, new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9});
    private static final byte[] FH = {7, 7};
    private static final byte[] TAG = {'c', 'b'};

    /** The server side of the current client's connection, once CREATE_SESSION arrived on it. */
    private volatile CompletableFuture<RpcConnection> serverSide = new CompletableFuture<>();
    private InetSocketAddress address;
    private final RecordingCallbacks callbacks = new RecordingCallbacks();
    private RpcServer server;
    private NfsClient client;

    /** The stand-in NFS program: one EXCHANGE_ID or CREATE_SESSION per COMPOUND, nothing else. */
    private final RpcProgram nfs = new RpcProgram() {
        @Override
        public int program() {
            return NfsClient.NFS_PROGRAM;
        }

        @Override
        public int minVersion() {
            return NfsClient.NFS_VERSION;
        }

        @Override
        public int maxVersion() {
            return NfsClient.NFS_VERSION;
        }

        @Override
        public void call(RpcCall call, XdrDecoder args, XdrEncoder results) {
            args.readOpaque(1024);
            args.readInt();
            args.readInt();
            Opcode op = Opcode.fromCode(args.readInt());
            OpResult r = switch (op) {
                case EXCHANGE_ID -> new ExchangeIdResult(42, 1, 0, StateProtectResult.None.INSTANCE,
                        new ServerOwner(0, new byte[] {1}), new byte[] {1},
                        List.of(new ImplId("test", "stand-in", new NfsTime(0, 0))));
                case CREATE_SESSION -> {
                    serverSide.complete(call.connection());
                    ChannelAttrs fore = new ChannelAttrs(0, 65536, 65536, 4096, 8, 4, null);
                    ChannelAttrs back = new ChannelAttrs(0, 4096, 4096, 0, 4, BACK_SLOTS, null);
                    yield new CreateSessionResult(SESSION, 1, 0, fore, back);
                }
                default -> throw new IllegalStateException("stand-in server got " + op);
            };
            results.writeInt(NfsStatus.NFS4_OK.code()).writeUtf8("").writeInt(1).writeInt(op.code());
            r.encode(results);
        }
    };

    @BeforeEach
    void start() throws Exception {
        server = RpcServer.builder().bindAddress(InetAddress.getLoopbackAddress()).port(0).program(nfs).build();
        address = server.start();
        client = NfsClient.connect(address, 1, CRED, callbacks);
    }

    @AfterEach
    void stop() {
        callbacks.releaseParked(NfsStatus.NFS4_OK);
        client.close();
        server.close();
    }

    @Test
    void cbNull_answeredByRpcLayer() throws Exception {
        RpcReply r = call(CallbackProgram.PROC_NULL, out -> {});

        assertThat(r.isSuccess()).isTrue();
    }

    @Test
    void cbCompound_sequenceThenRecall_okAndHandlerSawRecall() throws Exception {
        CbCompoundResult r = compound(seq(0, 1, false), recall());

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(r.tag()).isEqualTo(TAG);
        assertThat(r.results()).hasSize(2);
        CbSequenceResult s = (CbSequenceResult) r.results().get(0);
        assertThat(s.sessionId()).isEqualTo(SESSION);
        assertThat(s.sequenceId()).isEqualTo(1);
        assertThat(s.slotId()).isZero();
        assertThat(s.highestSlotId()).isEqualTo(BACK_SLOTS - 1);
        assertThat(r.results().get(1)).isEqualTo(new CbStatusResult(CbOpcode.CB_RECALL, NfsStatus.NFS4_OK));
        assertThat(callbacks.received()).singleElement().isInstanceOfSatisfying(CbRecallArgs.class,
                a -> assertThat(a.stateId()).isEqualTo(DELEG));
    }

    @Test
    void cbCompound_everyHandlerOperation_reachesHandler() throws Exception {
        callbacks.getattrReply(new Fattr4(new int[] {0x18}, new byte[16]));

        CbCompoundResult r = compound(seq(0, 1, false), new CbGetattrArgs(FH, new int[] {0x18}),
                new CbRecallAnyArgs(0, new int[] {1}), new CbNotifyLockArgs(FH, 42, new byte[] {1}),
                CbOffloadArgs.failed(FH, DELEG, NfsStatus.NFS4ERR_IO, 10), recall());

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(((CbGetattrResult) r.results().get(1)).attributes().mask()).containsExactly(0x18);
        assertThat(callbacks.received().stream().map(CbArgs::opcode)).containsExactly(CbOpcode.CB_GETATTR,
                CbOpcode.CB_RECALL_ANY, CbOpcode.CB_NOTIFY_LOCK, CbOpcode.CB_OFFLOAD, CbOpcode.CB_RECALL);
    }

    @Test
    void cbCompound_retryOfCachedRequest_replayedNotReexecuted() throws Exception {
        CbCompoundResult first = compound(seq(0, 1, true), recall());
        CbCompoundResult again = compound(seq(0, 1, true), recall());

        assertThat(again.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(again.results()).isEqualTo(first.results());
        assertThat(callbacks.received()).hasSize(1);
    }

    @Test
    void cbCompound_retryOfUncachedRequest_retryUncachedRepOnSecondOperation() throws Exception {
        compound(seq(0, 1, false), recall());

        CbCompoundResult again = compound(seq(0, 1, false), recall());

        assertThat(again.status()).isEqualTo(NfsStatus.NFS4ERR_RETRY_UNCACHED_REP);
        assertThat(again.results().get(0).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(again.results().get(1))
                .isEqualTo(new CbStatusResult(CbOpcode.CB_RECALL, NfsStatus.NFS4ERR_RETRY_UNCACHED_REP));
        assertThat(callbacks.received()).hasSize(1);
    }

    @Test
    void cbCompound_sequenceIdSkipsAhead_seqMisorderedThenNextStillAccepted() throws Exception {
        compound(seq(0, 1, false), recall());

        CbCompoundResult skipped = compound(seq(0, 3, false), recall());
        CbCompoundResult next = compound(seq(0, 2, false), recall());

        assertThat(skipped.status()).isEqualTo(NfsStatus.NFS4ERR_SEQ_MISORDERED);
        assertThat(skipped.results()).containsExactly(CbSequenceResult.error(NfsStatus.NFS4ERR_SEQ_MISORDERED));
        assertThat(next.status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(callbacks.received()).hasSize(2);
    }

    @Test
    void cbCompound_slotsAreIndependent_eachStartsAtOne() throws Exception {
        assertThat(compound(seq(0, 1, false), recall()).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(compound(seq(1, 1, false), recall()).status()).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void cbCompound_slotBeyondGranted_badSlot() throws Exception {
        CbCompoundResult r = compound(seq(BACK_SLOTS, 1, false), recall());

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_BADSLOT);
        assertThat(callbacks.received()).isEmpty();
    }

    @Test
    void cbCompound_otherSession_badSession() throws Exception {
        CbSequenceArgs other = new CbSequenceArgs(new SessionId(new byte[16]), 1, 0, 0, false, List.of());

        assertThat(compound(other, recall()).status()).isEqualTo(NfsStatus.NFS4ERR_BADSESSION);
        assertThat(callbacks.received()).isEmpty();
    }

    @Test
    void cbCompound_firstOperationNotSequence_opNotInSession() throws Exception {
        CbCompoundResult r = compound(recall());

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_OP_NOT_IN_SESSION);
        assertThat(callbacks.received()).isEmpty();
    }

    @Test
    void cbCompound_secondSequence_sequencePosAndFirstResultsKept() throws Exception {
        CbCompoundResult r = compound(seq(0, 1, false), recall(), seq(1, 1, false));

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_SEQUENCE_POS);
        assertThat(r.results()).hasSize(3);
    }

    @Test
    void cbCompound_unknownOperation_opIllegal() throws Exception {
        CbCompoundResult r = compoundRaw(1, out -> {
            out.writeInt(CbOpcode.CB_SEQUENCE.code());
            seq(0, 1, false).encode(out);
            out.writeInt(99);
        }, 2);

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_OP_ILLEGAL);
        assertThat(r.results().get(1)).isEqualTo(new CbStatusResult(CbOpcode.CB_ILLEGAL, NfsStatus.NFS4ERR_OP_ILLEGAL));
    }

    @Test
    void cbCompound_unsupportedMinorVersion_minorVersMismatch() throws Exception {
        CbCompoundResult r = compoundRaw(7, out -> {
            out.writeInt(CbOpcode.CB_SEQUENCE.code());
            seq(0, 1, false).encode(out);
        }, 1);

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_MINOR_VERS_MISMATCH);
        assertThat(r.results()).isEmpty();
    }

    @Test
    void cbCompound_handlerAnswersDelay_delayAndSlotAdvanced() throws Exception {
        callbacks.answer(CbOpcode.CB_RECALL, RecordingCallbacks.Answer.delay());

        CbCompoundResult r = compound(seq(0, 1, false), recall());

        assertThat(r.status()).isEqualTo(NfsStatus.NFS4ERR_DELAY);
        assertThat(r.results().get(0).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(r.results().get(1)).isEqualTo(new CbStatusResult(CbOpcode.CB_RECALL, NfsStatus.NFS4ERR_DELAY));
        assertThat(compound(seq(0, 2, false), recall()).results().get(0).status()).isEqualTo(NfsStatus.NFS4_OK);
    }

    @Test
    void cbCompound_handlerFails_serverFault() throws Exception {
        client.close();
        CallbackHandler failing = new CallbackHandler() {
            @Override
            public CompletionStage<NfsStatus> recall(CbRecallArgs args) {
                return CompletableFuture.failedFuture(new IllegalStateException("handler bug"));
            }
        };
        serverSide = new CompletableFuture<>();
        client = NfsClient.connect(address, 1, CRED, failing);
        assertThat(compound(seq(0, 1, false), recall()).status()).isEqualTo(NfsStatus.NFS4ERR_SERVERFAULT);
    }

    @Test
    void cbCompound_parkedRecall_retryGetsDelayUntilReleased() throws Exception {
        callbacks.answer(CbOpcode.CB_RECALL, RecordingCallbacks.Answer.park());
        CompletableFuture<CbCompoundResult> original = compoundAsync(seq(0, 1, true), recall());
        callbacks.await(CbOpcode.CB_RECALL, 1, CbRecallArgs.class, Duration.ofSeconds(BOUND_S));

        CbCompoundResult retry = compound(seq(0, 1, true), recall());
        assertThat(retry.status()).isEqualTo(NfsStatus.NFS4ERR_DELAY);
        assertThat(original).isNotDone();

        assertThat(callbacks.releaseParked(NfsStatus.NFS4_OK)).isEqualTo(1);
        assertThat(original.get(BOUND_S, TimeUnit.SECONDS).status()).isEqualTo(NfsStatus.NFS4_OK);
        assertThat(compound(seq(0, 1, true), recall()).status()).as("now a replay").isEqualTo(NfsStatus.NFS4_OK);
        assertThat(callbacks.received()).hasSize(1);
    }

    @Test
    void cbCompound_parkedRecallAndClientCloses_serverCallFailsWithoutReply() throws Exception {
        callbacks.answer(CbOpcode.CB_RECALL, RecordingCallbacks.Answer.park());
        CompletableFuture<CbCompoundResult> original = compoundAsync(seq(0, 1, false), recall());
        callbacks.await(CbOpcode.CB_RECALL, 1, CbRecallArgs.class, Duration.ofSeconds(BOUND_S));

        client.close();

        assertThatThrownBy(() -> original.get(BOUND_S, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(callbacks.parkedCount()).isEqualTo(1);
    }

    @Test
    void await_callbackNeverSent_timesOut() {
        assertThatThrownBy(() -> callbacks.await(CbOpcode.CB_RECALL, 1, CbRecallArgs.class, Duration.ZERO))
                .isInstanceOf(TimeoutException.class);
    }

    private static CbSequenceArgs seq(int slot, int seqid, boolean cache) {
        return new CbSequenceArgs(SESSION, seqid, slot, 0, cache, List.of());
    }

    private static CbRecallArgs recall() {
        return new CbRecallArgs(DELEG, false, FH);
    }

    private CbCompoundResult compound(CbArgs... ops) throws Exception {
        return compoundAsync(ops).get(BOUND_S, TimeUnit.SECONDS);
    }

    private CompletableFuture<CbCompoundResult> compoundAsync(CbArgs... ops) throws Exception {
        CbCompoundArgs c = new CbCompoundArgs(TAG, 1, 0, List.of(ops));
        return callAsync(CallbackProgram.PROC_COMPOUND, c::encode).thenApply(ClientCallbackServiceTest::decode);
    }

    private CbCompoundResult compoundRaw(int minor, Consumer<XdrEncoder> ops, int count) throws Exception {
        return decode(call(CallbackProgram.PROC_COMPOUND, out -> {
            out.writeOpaque(TAG).writeInt(minor).writeInt(0).writeInt(count);
            ops.accept(out);
        }));
    }

    private static CbCompoundResult decode(RpcReply reply) {
        if (!reply.isSuccess()) {
            throw new IllegalStateException("callback refused: " + reply);
        }
        return CbCompoundResult.decode(reply.decoder());
    }

    private RpcReply call(int proc, Consumer<XdrEncoder> args) throws Exception {
        return callAsync(proc, args).get(BOUND_S, TimeUnit.SECONDS);
    }

    private CompletableFuture<RpcReply> callAsync(int proc, Consumer<XdrEncoder> args) throws Exception {
        RpcConnection conn = serverSide.get(BOUND_S, TimeUnit.SECONDS);
        return conn.callAsync(NfsClient.DEFAULT_CB_PROGRAM, CallbackProgram.VERSION, proc, CRED, args,
                Duration.ofSeconds(BOUND_S)).toCompletableFuture();
    }
}
