/// How the controller supervises the energy-management system's heartbeat
/// (`BMSController.emsHeartbeat(_:)`).
///
/// The EMS proves it is alive by changing a counter (SunSpec model 802 CtrlHb) at least every
/// `heartbeatTimeout`. Supervision starts with the first heartbeat: a pack run without an EMS
/// link is not supervised. While the heartbeat stands still, `FaultFlags.emsLinkLost` is raised
/// and both current limits are zero (an EMS that stopped cannot be trusted to stop its inverter);
/// the contactors stay as they are, so the pack resumes at once when the heartbeat returns.
public struct EMSLinkSettings: Sendable {
    /// The longest time the heartbeat may stand still.
    public var heartbeatTimeout: Milliseconds

    @inlinable public init(heartbeatTimeout: Milliseconds = .seconds(10)) {
        self.heartbeatTimeout = heartbeatTimeout
    }
}
