// The stand-in as one script file, for browsers: served as HubSpot's loader (`scriptUrl`, or routed
// from `js.hs-scripts.com/{portalId}.js`), it inserts itself again as the chat script, like HubSpot.
import { runEmbed, runLoader } from './stand-in';

const script = document.currentScript as HTMLScriptElement | null;
if (script?.id === 'hubspot-messages-loader') runEmbed(window);
else runLoader(window, script?.src ?? location.href, script?.src ?? location.href);
