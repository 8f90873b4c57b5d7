/**
 * The virtual firmware of a whole school: simulated devices that publish the very payloads the real
 * firmware sends, so the demo, the tests and load generation exercise the codecs end to end.
 *
 * <h2>Using it</h2>
 * {@link org.smartschool.bridge.sim.SchoolSimulation}: {@code new SchoolSimulation(school, rooms, seed[, start])}
 * or {@code new SchoolSimulation(school, SchoolLayout.of(rooms).withLab(..).withFaults(..), seed[, start])};
 * {@code messagesUntil(t)} returns every message due up to the simulated instant {@code t} in time order,
 * {@code nextMessageAt()} when the next one is due, {@code routes()} the gateway routes for all of it,
 * {@code rosters()} the synthetic class rosters, {@code faultsInjected()} the faults so far;
 * {@code new SchoolSimulation(school, layout, seed, start, scenario)} adds scripted episodes (below). Pure and
 * deterministic: the same school, layout, seed and start give the same bytes however the calls are split;
 * run it at any speed by choosing the instants. {@code java -jar firmware-bridge.jar simulate --help} prints it.
 *
 * <h2>Devices, topics and payloads</h2>
 * <table>
 *   <caption>one row per device kind (one class each)</caption>
 *   <tr><th>device (class)</th><th>where, id</th><th>topics</th><th>payload</th><th>codec</th><th>every</th></tr>
 *   <tr><td>air quality ({@link org.smartschool.bridge.sim.AirQualitySensor})</td><td>each classroom, {@code r101-air}</td>
 *       <td>{@code zigbee2mqtt/r101/r101-air}, {@code .../availability}</td>
 *       <td>Zigbee2MQTT state JSON: battery, co2, humidity, illuminance, last_seen, linkquality, pm25, temperature, voc</td>
 *       <td>zigbee2mqtt</td><td>10 s</td></tr>
 *   <tr><td>noise and light ({@link org.smartschool.bridge.sim.NoiseLightNode})</td><td>each classroom, {@code r101-env}</td>
 *       <td>{@code esphome/r101/r101-env/sensor/noise/state}, {@code .../sensor/illuminance/state}, {@code .../status}</td>
 *       <td>ESPHome plain text {@code 58.3}; status {@code online}/{@code offline}</td><td>esphome</td><td>30 s</td></tr>
 *   <tr><td>camera ({@link org.smartschool.bridge.sim.PeopleCountingCamera})</td><td>each classroom, {@code r101-cam}</td>
 *       <td>{@code cameras/r101/r101-cam/events}, {@code .../status}</td>
 *       <td>{@code {"type":"people_count","count":38,"in":41,"out":3,"zone":"classroom","time":"...+07:00"}}; status
 *       {@code online}/{@code offline}</td><td>camera-analytics</td><td>60 s</td></tr>
 *   <tr><td>door reader ({@link org.smartschool.bridge.sim.DoorCardReader})</td><td>each classroom, {@code r101-door}</td>
 *       <td>{@code doors/r101/r101-door/tag}</td><td>RC522 UID as ESPHome prints it: {@code 5C-3A-91-0F-E2-47-B8}</td>
 *       <td>card-reader</td><td>at session starts</td></tr>
 *   <tr><td>lab fridge ({@link org.smartschool.bridge.sim.LabFridge})</td><td>lab, {@code lab-fridge}</td>
 *       <td>{@code tele/lab/lab-fridge/SENSOR}, {@code .../LWT}</td>
 *       <td>Tasmota {@code {"Time":"...","DS18B20":{"Id":"...","Temperature":4.2},"TempUnit":"C"}}; LWT
 *       {@code Online}/{@code Offline}</td><td>tasmota</td><td>60 s</td></tr>
 *   <tr><td>fume hood ({@link org.smartschool.bridge.sim.FumeHood})</td><td>lab, {@code lab-hood}</td>
 *       <td>{@code senml/lab/lab-hood}</td><td>SenML JSON {@code [{"bn":"urn:dev:mac:...:","bt":...,"n":"face_velocity","u":"m/s","v":0.52}]}</td>
 *       <td>senml</td><td>30 s</td></tr>
 *   <tr><td>gas detector ({@link org.smartschool.bridge.sim.GasDetector})</td><td>lab, {@code lab-gas}</td>
 *       <td>{@code zigbee2mqtt/lab/lab-gas}, {@code .../availability}</td>
 *       <td>Aqara JT-BZ-01AQ/A: gas, gas_density (%LEL), gas_sensitivity, last_seen, linkquality</td><td>zigbee2mqtt</td><td>60 s</td></tr>
 *   <tr><td>smoke detector ({@link org.smartschool.bridge.sim.SmokeDetector})</td><td>lab, {@code lab-smoke}</td>
 *       <td>{@code zigbee2mqtt/lab/lab-smoke}, {@code .../availability}</td>
 *       <td>Heiman HS1SA: battery, battery_low, last_seen, linkquality, smoke, tamper</td><td>zigbee2mqtt</td><td>10 min</td></tr>
 *   <tr><td>power meter ({@link org.smartschool.bridge.sim.BuildingPowerMeter})</td><td>each building of ten
 *       classrooms, room {@code bldg-1}, {@code bldg-1-power}</td>
 *       <td>{@code shelly/bldg-1/bldg-1-power/events/rpc}, {@code .../online}</td>
 *       <td>Shelly Pro 4PM NotifyStatus, {@code switch:0..3} (lights, fans, sockets, outdoor lights) with apower,
 *       voltage, current, aenergy; online {@code true}/{@code false}</td><td>shelly-gen2</td><td>60 s</td></tr>
 * </table>
 * The periodic devices publish their birth message (availability online) at the start, then report at
 * their own phase within their interval ({@link org.smartschool.bridge.sim.PeriodicDevice}).
 *
 * <h2>Behaviour</h2>
 * A Vietnamese school day ({@link org.smartschool.bridge.sim.SchoolTimetable}: 07:00-11:25 and 13:30-17:00,
 * 45-minute periods, Monday to Friday) in the tropical climate of {@link org.smartschool.bridge.sim.Outdoors};
 * CO2, heat, humidity, light and noise follow who is in each room ({@link org.smartschool.bridge.sim.Classroom});
 * the camera counts them; learners tap their cards as they arrive for a session (most before the bell, 8 %
 * of those present 1-12 minutes late, 0-3 absent per class); the lab is used in four periods in ten, which
 * opens the fridge door (2-8 Cel kept), moves the hood's sash and, on 8 % of those days, leaks a little
 * gas (3-12 %LEL); the meters follow lights, fans and projectors.
 *
 * <h2>Faults</h2>
 * Off by default ({@link org.smartschool.bridge.sim.FaultRates#NONE}), because the demo wants clean data;
 * {@link org.smartschool.bridge.sim.FaultRates#LOW} or any rates per kind switch them on
 * ({@code simulate --faults}, {@code --fault-rate KIND=N}): stuck sensors (an hour of the same values),
 * dropouts (3-20 minutes of silence), spikes (one absurd value, which the codecs' plausibility checks
 * reject as a problem), outages (the last will, silence, then the birth message) and false smoke alarms.
 * Deterministic per seed, device and day ({@link org.smartschool.bridge.sim.FaultPlan}); door readers get none.
 *
 * <h2>Scripted episodes</h2>
 * A {@link org.smartschool.bridge.sim.Scenario} (none by default) lays fixed episodes over the day, at
 * minutes counted from an instant the caller picks, whatever the hour: {@code Scenario.demoAlarms(t)} fills
 * classroom {@code r101} (CO2 past 1000 ppm after 1.5 minutes, 15-minute mean past 1500 after about 14,
 * aired after 24) and leaves the lab fridge ajar (above 8 Cel from 0.5 to 12 minutes);
 * {@code Scenario.demoSilence(t)} silences {@code r102-air} from 0.5 to 6 minutes (a dropout in the fault
 * journal). The demo uses them so that its alarms show within minutes; other devices publish the same bytes.
 *
 * <h2>Synthetic personal data</h2>
 * Learner ids (12 digits starting {@code 000}, a province code that does not exist) and card UIDs (7 bytes starting {@code 5C}) are made up from the
 * seed ({@link org.smartschool.bridge.sim.ClassRoster}); no real person or card is behind any of them.
 */
package org.smartschool.bridge.sim;
