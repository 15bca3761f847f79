// The quickstart-chat suite over the SDK's default: it offers v3 and v2, and the server must choose v3.
import { V3, chatSuite } from './chat_suite.mjs';

chatSuite({ protocol: V3 });
