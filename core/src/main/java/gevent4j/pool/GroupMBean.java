package gevent4j.pool;

/** A group's or pool's {@link GroupMXBean}: each attribute reads a fresh {@code statistics()}. */
final class GroupMBean implements GroupMXBean {
    private final Group group;

    GroupMBean(Group group) {
        this.group = group;
    }

    @Override public int getMembers() { return group.statistics().members(); }
    @Override public long getAdded() { return group.statistics().added(); }
    @Override public long getLeft() { return group.statistics().left(); }
    @Override public int getCapacity() { return group.statistics().capacity(); }
    @Override public int getFree() { return group.statistics().free(); }
    @Override public int getWaitingSpawners() { return group.statistics().waitingSpawners(); }
}
