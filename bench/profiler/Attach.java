import com.sun.tools.attach.VirtualMachine;

/**
 * Loads a native agent into a running JVM: {@code java Attach.java PID LIBRARY OPTIONS}. bench/profile-carrier
 * starts and stops async-profiler with it (jcmd's JVMTI.agent_load would read async-profiler's
 * {@code a=b,c=d} options as its own name=value arguments).
 */
public final class Attach {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) throw new IllegalArgumentException("usage: java Attach.java PID LIBRARY OPTIONS");
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try {
            vm.loadAgentPath(args[1], args[2]);
        } finally {
            vm.detach();
        }
    }
}
