// The quickstart-chat suite with the client offering only v2 (as the Rust, C# and Unreal SDKs and the
// TypeScript SDK 2.0-2.1 do). The SDK has no option for this, so the harness's WebSocket class replaces the
// subprotocol list the SDK offers; the SDK then speaks v2 because that is what the server chose.
import { V2, chatSuite } from './chat_suite.mjs';

chatSuite({ protocol: V2, offer: [V2] });
