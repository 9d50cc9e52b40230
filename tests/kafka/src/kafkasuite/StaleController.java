package kafkasuite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.Stat;

/** A controller that lost its role tries to write: the epoch check must stop all of it. */
final class StaleController {
  private StaleController() {}

  static void check(Checks c, Cluster cl, Controller zombie, String topic, List<Integer> parts)
      throws Exception {
    Map<String, Controller.Update> updates = new LinkedHashMap<>();
    Map<String, byte[]> dataBefore = new LinkedHashMap<>();
    Map<String, Stat> statBefore = new LinkedHashMap<>();
    for (int p : parts) {
      Stat stat = new Stat();
      ZkData.LeaderAndIsr cur = cl.state(topic, p, stat);
      String path = ZkData.statePath(topic, p);
      dataBefore.put(path, cl.admin.getData(path, false, null));
      statBefore.put(path, stat);
      // Right version, stale epoch: only the controller_epoch check can refuse it.
      updates.put(path, new Controller.Update(new ZkData.LeaderAndIsr(zombie.brokerId,
          cur.leaderEpoch() + 1, List.of(zombie.brokerId), zombie.epoch), stat.getVersion()));
    }
    try {
      zombie.updateLeaderAndIsr(updates);
      c.check("a stale controller's update is refused", false, "it was applied");
    } catch (KeeperException.BadVersionException e) {
      c.check("a stale controller's update is refused with BadVersion", true);
      List<Integer> codes = new ArrayList<>();
      for (OpResult r : e.getResults()) {
        codes.add(r instanceof OpResult.ErrorResult ? ((OpResult.ErrorResult) r).getErr() : 0);
      }
      List<Integer> expected = new ArrayList<>();
      expected.add(KeeperException.Code.BADVERSION.intValue());
      for (int i = 0; i < parts.size(); i++) {
        expected.add(KeeperException.Code.RUNTIMEINCONSISTENCY.intValue());
      }
      c.equal("the multi reports BadVersion on the epoch check and RuntimeInconsistency after",
          expected, codes);
    }
    boolean unchanged = true;
    for (var e : dataBefore.entrySet()) {
      Stat now = new Stat();
      byte[] data = cl.admin.getData(e.getKey(), false, now);
      unchanged &= java.util.Arrays.equals(data, e.getValue())
          && now.getVersion() == statBefore.get(e.getKey()).getVersion()
          && now.getMzxid() == statBefore.get(e.getKey()).getMzxid();
    }
    c.check("nothing of the stale controller's multi was applied", unchanged);
  }
}
