#pragma once
// One object as a print figure and as the inspector's picture: its image, what it is, how a model does on
// its triplets, its strongest concept dimensions as bars, and its nearest neighbours under the model and
// under people side by side with their images (the ones in both lists marked). Built by the Objects page's
// objectInspectorFigure (pages/object_inspector.h), drawn by charts/object_inspector_chart.h's
// paintObjectInspector.

#include <QImage>
#include <QString>
#include <QStringList>
#include <vector>

struct ObjectInspectorFigure
{
    struct Concept
    {
        QString label;
        double value = 0; // the concept embedding's value (VICE: non-negative)
    };
    struct Neighbour
    {
        QString name;
        QImage image; // null: drawn without one
        bool shared = false;
    };
    QString title;   // "aardvark"
    QString message; // instead of everything when there is nothing to draw (says why)
    QImage image;
    QStringList facts; // lines beside the image: ID and category, the model's accuracy, neighbour agreement
    std::vector<Concept> concepts; // strongest first
    QString modelHeading, humanHeading;
    std::vector<Neighbour> model, human; // nearest first
    bool withImages = false;             // the objects have images: neighbours drawn as thumbnails
};

// At most this many concept dimensions (those above zero), strongest first.
inline constexpr int kInspectorConcepts = 6;
