package kafkasuite;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.data.Stat;

/** The checks every controller failover must pass, whatever ended the old controller. */
final class Failover {
  interface Kill {
    void run() throws Exception;
  }

  private Failover() {}

  /**
   * Ends `old`'s session by `kill`, then checks: its ephemerals vanish, exactly one survivor
   * takes over, the epoch rises by one, and each survivor's /controller watch fired once.
   * Returns the new controller, or null.
   */
  static Broker run(Checks c, Cluster cl, Broker old, long timeoutMs, Kill kill)
      throws Exception {
    List<Broker> survivors = new ArrayList<>();
    for (Broker b : cl.brokers.values()) {
      if (b != old) survivors.add(b);
    }
    return run(c, cl, old.id, survivors, timeoutMs, kill);
  }

  /** The same, for an old controller `oldId` that is not one of this process's brokers. */
  static Broker run(Checks c, Cluster cl, int oldId, List<Broker> survivors, long timeoutMs,
      Kill kill) throws Exception {
    for (Broker b : survivors) b.drain();
    int epochBefore = cl.zkEpoch();
    Map<Broker, Integer> electedBefore = new HashMap<>();
    for (Broker b : survivors) {
      b.controllerDeleted.set(0);
      electedBefore.put(b, b.timesElected.get());
    }

    kill.run();

    c.eventually("broker " + oldId + "'s registration vanishes with its session", timeoutMs,
        () -> !cl.exists(ZkData.brokerPath(oldId)));
    Broker now = cl.awaitController(survivors, timeoutMs);
    if (!c.check("a surviving broker takes over as controller", now != null, "none did")) {
      return null;
    }
    for (Broker b : survivors) b.drain();
    int elected = 0;
    for (Broker b : survivors) elected += b.timesElected.get() - electedBefore.get(b);
    c.equal("exactly one surviving broker won the election", 1, elected);
    c.equal("the controller epoch rose by exactly one", epochBefore + 1, cl.zkEpoch());
    c.equal("the new controller holds the epoch in ZooKeeper", cl.zkEpoch(),
        now.controller.epoch);
    Stat owner = cl.stat(ZkData.CONTROLLER);
    c.check("/controller is an ephemeral of the new controller's session",
        owner != null && owner.getEphemeralOwner() == now.sessionId,
        "owner " + (owner == null ? "none" : Long.toHexString(owner.getEphemeralOwner())));
    for (Broker b : survivors) {
      c.equal("broker " + b.id + "'s /controller watch fired exactly once", 1,
          b.controllerDeleted.get());
    }
    return now;
  }
}
