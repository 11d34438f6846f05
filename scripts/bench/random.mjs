/** mulberry32 (the emulator's), so the model and the injected faults repeat. */
export { seededRandom } from '../../build/emulator/random.js';
