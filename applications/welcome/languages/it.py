# -*- coding: utf-8 -*-
{
    'Hello World': 'Ciao Mondo',
    'Home': 'Home',
    'Welcome to Pocketweb!': 'Benvenuto in Pocketweb!',
    'Powered by Pocketweb': 'Realizzato con Pocketweb',
    'Skip to content': 'Vai al contenuto',
}
